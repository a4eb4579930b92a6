/* Self-modifying code differential test: every step writes new instruction
 * bits, executes fence.i, then runs them. Covers code in a data page, a patch
 * site on the running code's own page, compressed (16-bit) patches, a patch of
 * the instruction right after the fence.i, and a 4-byte patch straddling a page
 * boundary. Prints the accumulated a0 after each part (uart-print.S). */
#define FINISHER 0x100000
#define A0 10
/* addi a0, a0, imm  /  c.addi a0, imm */
#define ADDI_A0(imm) ((((imm) & 0xfff) << 20) | (A0 << 15) | (A0 << 7) | 0x13)
#define C_ADDI_A0(imm) (((((imm) >> 5) & 1) << 12) | (A0 << 7) | (((imm) & 0x1f) << 2) | 1)
#define C_JR_RA 0x8082

  .section .text.start, "ax"
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park
  la sp, stack_end
  li a0, 0

  /* part 1: 64 different addi + ret written to a data page, each executed */
  li s0, 0
  la s1, code_buf
1:li t0, 37
  mul t1, s0, t0
  addi t1, t1, -1000            /* imm = 37 i - 1000 */
  slli t1, t1, 52
  srli t1, t1, 32               /* imm[11:0] into bits 31..20 */
  li t2, ADDI_A0(0)
  or t1, t1, t2
  sw t1, 0(s1)
  li t2, C_JR_RA
  sh t2, 4(s1)
  fence.i
  jalr s1
  addi s0, s0, 1
  li t0, 64
  blt s0, t0, 1b
  call print_a0

  /* part 2: patch site on this code page, rewritten 32 times */
  li s0, 0
  la s1, patch_site
2:slli t1, s0, 20
  li t2, ADDI_A0(0)
  or t1, t1, t2
  sw t1, 0(s1)
  fence.i
  call patched_fn
  addi s0, s0, 1
  li t0, 32
  blt s0, t0, 2b
  call print_a0

  /* part 3: compressed patches: c.addi a0, imm for imm in -32..31 (not 0), then c.jr ra */
  li s0, -32
  la s1, code_buf
3:beqz s0, 4f
  andi t1, s0, 0x1f
  slli t1, t1, 2
  srli t2, s0, 5
  andi t2, t2, 1
  slli t2, t2, 12
  or t1, t1, t2
  ori t1, t1, (A0 << 7) | 1
  sh t1, 0(s1)
  li t2, C_JR_RA
  sh t2, 2(s1)
  fence.i
  jalr s1
4:addi s0, s0, 1
  li t0, 32
  blt s0, t0, 3b
  call print_a0

  /* part 4: patch the instruction right after the fence.i */
  la s1, next_insn
  li t1, ADDI_A0(1234)
  sw t1, 0(s1)
  fence.i
  .option push
  .option norvc
next_insn:
  addi a0, a0, 1
  .option pop
  call print_a0

  /* part 5: a 4-byte instruction straddling a page boundary, patched */
  la s1, straddle_insn
  li t1, ADDI_A0(-777)
  sh t1, 0(s1)                  /* low half on one page */
  srli t1, t1, 16
  sh t1, 2(s1)                  /* high half on the next */
  fence.i
  call straddle_fn
  call print_a0

  li t0, FINISHER
  li t1, 0x5555
  sw t1, 0(t0)
park:
  wfi
  j park

patched_fn:
  .option push
  .option norvc                 /* patch sites are 4 bytes */
patch_site:
  addi a0, a0, 0
  .option pop
  ret

print_a0:
  addi sp, sp, -16
  sd ra, 0(sp)
  sd a0, 8(sp)
  la a0, s_a0
  call puts
  ld a0, 8(sp)
  call puthex_line
  ld a0, 8(sp)
  ld ra, 0(sp)
  addi sp, sp, 16
  ret

  .balign 4096
  .skip 4096 - 6
straddle_fn:
  c.nop
straddle_insn:
  .option push
  .option norvc
  addi a0, a0, 0
  .option pop
  ret

  .section .rodata
s_a0: .asciz "a0"

  .data
  .balign 4096
code_buf: .zero 64
  .balign 16
  .zero 1024
stack_end:
