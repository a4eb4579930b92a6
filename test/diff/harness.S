/* Differential-test harness for random instruction blocks (see rvgen.ts).
 * Linked with a generated block.S that defines block_entry (loads every
 * register from its tables, runs the block, jumps to block_done with x31
 * pointing at trap_save and the block's x31 in mscratch) and the scratch
 * buffer. Prints every register, fcsr, the trap log and scratch checksums as
 * hex over the UART (uart-print.S), then passes via the test finisher.
 * Hart 0 only. */
#define FINISHER 0x100000
#define CHUNK 256
#define MAX_TRAPS 8

  .section .text.start, "ax"
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park
  li t0, 0x2000
  csrs mstatus, t0              /* FS = Initial */
  la t0, trap_entry
  csrw mtvec, t0
  csrw mie, zero
  la t0, trap_save
  csrw mscratch, t0
  j block_entry
park:
  wfi
  j park

  .globl block_done
block_done:                     /* x31 = trap_save; block x31 in mscratch */
  .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
  sd x\n, (64 + 8 * (\n - 1))(x31)
  .endr
  csrr x1, mscratch
  sd x1, (64 + 8 * 30)(x31)
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  fsd f\n, (64 + 248 + 8 * \n)(x31)
  .endr
  csrr x1, fcsr
  sd x1, (64 + 248 + 256)(x31)
  la sp, stack_end
  /* x1..x31 then f0..f31: s0 = index, s1 = dump pointer, s2 = prefix */
  li s0, 1
  addi s1, x31, 64
  li s2, 'x'
1:mv a0, s2
  call putc
  mv a0, s0
  call putdec
  ld a0, 0(s1)
  call puthex_line
  addi s0, s0, 1
  addi s1, s1, 8
  li t0, 32
  blt s0, t0, 1b
  li t0, 'f'
  beq s2, t0, 2f
  mv s2, t0
  li s0, 0
  j 1b
2:  la a0, s_fcsr
  call puts
  ld a0, 0(s1)
  call puthex_line
  /* trap log: count, then cause/epc/tval of the first MAX_TRAPS */
  la s1, trap_save
  la a0, s_traps
  call puts
  ld a0, 8(s1)
  call puthex_line
  ld s2, 8(s1)
  li t0, MAX_TRAPS
  bleu s2, t0, 3f
  mv s2, t0
3:la s3, trap_log
  beqz s2, 5f
4:la a0, s_trap
  call puts
  ld a0, 0(s3)
  call puthex
  li a0, ' '
  call putc
  ld a0, 8(s3)
  call puthex
  ld a0, 16(s3)
  call puthex_line              /* " tval\n" */
  addi s3, s3, 24
  addi s2, s2, -1
  bnez s2, 4b
5:/* scratch: one FNV-1a-style hash per CHUNK bytes, over dwords */
  la s1, scratch
  li s0, 0
6:la a0, s_mem
  call puts
  mv a0, s0
  call putdec
  li s2, 0xcbf29ce484222325
  li s3, 0x100000001b3
  li s4, CHUNK / 8
7:ld t0, 0(s1)
  xor s2, s2, t0
  mul s2, s2, s3
  addi s1, s1, 8
  addi s4, s4, -1
  bnez s4, 7b
  mv a0, s2
  call puthex_line
  addi s0, s0, 1
  li t0, SCRATCH_BYTES / CHUNK
  blt s0, t0, 6b
  la a0, s_end
  call puts
  li t0, FINISHER
  li t1, 0x5555
  sw t1, 0(t0)
  j park

/* Trap: log cause/epc/tval, skip the instruction, resume. Touches only
 * t0/t1 (saved) and x31 (swapped with mscratch), so the block's state survives. */
  .balign 4
trap_entry:
  csrrw x31, mscratch, x31
  sd t0, 16(x31)
  sd t1, 24(x31)
  ld t0, 8(x31)
  addi t1, t0, 1
  sd t1, 8(x31)
  li t1, MAX_TRAPS
  bgeu t0, t1, 1f
  li t1, 24
  mul t0, t0, t1
  la t1, trap_log
  add t0, t0, t1
  csrr t1, mcause
  sd t1, 0(t0)
  csrr t1, mepc
  sd t1, 8(t0)
  csrr t1, mtval
  sd t1, 16(t0)
1:csrr t0, mepc
  lhu t1, 0(t0)
  andi t1, t1, 3
  addi t0, t0, 2
  addi t1, t1, -3
  bnez t1, 2f
  addi t0, t0, 2
2:csrw mepc, t0
  ld t0, 16(x31)
  ld t1, 24(x31)
  csrrw x31, mscratch, x31
  mret

  .section .rodata
s_fcsr:  .asciz "fcsr"
s_traps: .asciz "traps"
s_trap:  .asciz "trap "
s_mem:   .asciz "mem"
s_end:   .asciz "end\n"

  .data
  .balign 64
  .globl trap_save
trap_save:                     /* 0: unused, 8: trap count, 16/24: t0/t1 save, 64: dump */
  .zero 64 + 248 + 256 + 8
  .balign 8
trap_log:
  .zero 24 * MAX_TRAPS
  .balign 16
  .zero 1024
stack_end:
