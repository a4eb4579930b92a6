/* Trap differential test: provokes traps in M, S (Sv39) and U mode and logs
 * mcause, mepc, mtval and the previous mode (mstatus.MPP) of each, plus the
 * values of the accesses that must not trap; then prints the log over the
 * UART (uart-print.S) for comparison with QEMU. Every trap goes to M-mode
 * (no delegation) except in the last part, where U-mode traps are delegated
 * to an S-mode handler (logged with 0x10 | SPP as the mode). The M handler
 * resumes after the trapping instruction, at ra for instruction fetch faults,
 * and back in M-mode at a0 for `ecall` with
 * a7 = 0x100. VA layout (Sv39):
 *   0x8000_0000 1 GiB  identity, RWX, not U      (code, data, page tables)
 *   0xC000_0000 1 GiB  alias of the above, RWX+U (user code)
 *   0x1000 R only | 0x2000 RW+U | 0x3000 X only | 0x4000 RW, no X
 *   0x5000 invalid | 0x6000 W without R (reserved) | 0x7000 RW, A=D=0
 *   0x8000 RW, A=1 D=0 | 0x20_0000 2 MiB megapage | 0x40_0000 misaligned megapage */
#define FINISHER 0x100000
#define MAX_TRAPS 48
#define RET_TO_M 0x100
#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_U 16
#define PTE_A 64
#define PTE_D 128
#define USER_ALIAS 0x40000000
#define MEGA_PA 0x80200000            /* free RAM above the image, 2 MiB aligned */

/* record the value of a0 (an access that did not trap) in the value log */
.macro keep
  call keep_a0
.endm
/* dst[index] = PTE to `target` (a symbol) with `flags` */
.macro pte table, index, target, flags
  la t0, \target
  srli t0, t0, 12
  slli t0, t0, 10
  ori t0, t0, \flags
  la t1, \table
  sd t0, (8 * \index)(t1)
.endm

  .section .text.start, "ax"
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park
  la sp, stack_end
  li t0, 0x2000
  csrs mstatus, t0              /* FS = Initial */
  la t0, mtrap
  csrw mtvec, t0
  csrw mie, zero
  csrw medeleg, zero
  csrw mideleg, zero
  li a7, 0
  li t0, -1
  csrw pmpaddr0, t0             /* PMP entry 0: all memory RWX (NAPOT), as firmware does; */
  li t0, 0x1f                   /* without it S/U accesses fault and QEMU refuses mret to S/U */
  csrw pmpcfg0, t0

  /* ---- M-mode ---- */
  .word 0                       /* illegal: all zeros */
  csrw mhartid, zero            /* illegal: write to a read-only CSR */
  ecall                         /* cause 11 */
  ebreak                        /* cause 3; mtval 0 (QEMU 7.2) or the pc */
  la t0, buf
  addi t1, t0, 1
  lr.w a0, (t1)                 /* misaligned LR: cause 4 */
  /* (no misaligned SC: QEMU 7.2 fails it without a trap when there is no reservation) */
  addi t1, t0, 4
amo_misaligned_at:
  amoadd.d a0, a0, (t1)         /* misaligned AMO: cause 6 (QEMU 7.2 says 4) */
  ld a0, 3(t0)                  /* misaligned load: QEMU performs it */
  keep
  li a1, 0x1122334455667788
  sd a1, 13(t0)                 /* misaligned store */
  ld a0, 8(t0)
  keep
  ld a0, 16(t0)
  keep
  csrwi frm, 5                  /* reserved rounding mode: dyn ops are illegal */
  fadd.d f0, f1, f2
  csrwi frm, 0
  .insn r OP_FP, 5, 1, f0, f1, f2   /* fadd.d with static rm = 5: illegal */
  .insn r OP_FP, 6, 1, f0, f1, f2   /* static rm = 6: illegal */
  li a0, 2
  fcvt.d.l f1, a0
  fsqrt.d f3, f1                /* the FPU still works after those */
  fmv.x.d a0, f3
  keep

  /* ---- page tables ---- */
  la t0, root
  li t1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  sd t1, 16(t0)                 /* root[2]: 0x8000_0000 identity gigapage */
  ori t1, t1, PTE_U
  sd t1, 24(t0)                 /* root[3]: 0xC000_0000 user alias */
  pte root, 0, l1, PTE_V
  pte l1, 0, l0, PTE_V
  pte l0, 1, page_ro, PTE_V | PTE_R | PTE_A
  pte l0, 2, page_user, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
  pte l0, 3, page_xonly, PTE_V | PTE_X | PTE_A
  pte l0, 4, page_rw, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  pte l0, 6, page_wonly, PTE_V | PTE_W | PTE_A | PTE_D
  pte l0, 7, page_noad, PTE_V | PTE_R | PTE_W
  pte l0, 8, page_nod, PTE_V | PTE_R | PTE_W | PTE_A
  li t0, ((MEGA_PA >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  la t1, l1
  sd t0, 8(t1)                  /* l1[1]: VA 0x20_0000 → 2 MiB megapage at MEGA_PA */
  li t0, (((MEGA_PA >> 12) + 1) << 10) | PTE_V | PTE_R | PTE_A
  sd t0, 16(t1)                 /* l1[2]: VA 0x40_0000 → misaligned megapage (PPN[0] != 0) */
  li t0, MEGA_PA + 0x1238
  li t1, 0x600dbeef
  sd t1, 0(t0)                  /* seen through the megapage at VA 0x201238 */
  la t0, root
  srli t0, t0, 12
  li t1, 8 << 60
  or t0, t0, t1
  csrw satp, t0
  sfence.vma

  /* M-mode with MPRV=1, MPP=S: loads and stores are translated */
  li t0, 3 << 11
  csrc mstatus, t0
  li t0, (1 << 11) | (1 << 17)
  csrs mstatus, t0
  li t1, 0x1000
  ld a0, 0(t1)                  /* translated read of page_ro */
  keep
  li t1, 0x5000
  ld a0, 0(t1)                  /* page fault (13) through MPRV; mret then leaves MPP = U */
  li t0, 1 << 17
  csrc mstatus, t0

  /* ---- to S-mode ---- */
  li t0, 3 << 11
  csrc mstatus, t0
  li t0, 1 << 11
  csrs mstatus, t0
  la t0, s_code
  csrw mepc, t0
  mret

m_after_s:
  /* ---- to U-mode, running from the user alias ---- */
  li t0, 3 << 11
  csrc mstatus, t0              /* MPP = U */
  la t0, u_code
  li t1, USER_ALIAS
  add t0, t0, t1
  csrw mepc, t0
  mret

m_after_u:
  /* ---- U-mode again, with traps delegated to the S-mode handler ---- */
  li t0, (1 << 2) | (1 << 8) | (1 << 13) | (1 << 15)
  csrw medeleg, t0              /* illegal, ecall from U, load/store page faults */
  la t0, s_handler
  csrw stvec, t0
  li t0, 3 << 11
  csrc mstatus, t0              /* MPP = U */
  la t0, u2_code
  li t1, USER_ALIAS
  add t0, t0, t1
  csrw mepc, t0
  mret

m_after_u2:
  csrw medeleg, zero
  csrw satp, zero
  sfence.vma
  la s0, l0
  ld a0, 56(s0)                 /* the PTEs after the hardware A/D updates */
  keep
  ld a0, 64(s0)
  keep
  call print_log
  li t0, FINISHER
  li t1, 0x5555
  sw t1, 0(t0)
park:
  wfi
  j park

/* ---- S-mode (Sv39 on) ---- */
s_code:
  li t0, 0x1000
  ld a0, 0(t0)                  /* R page: ok */
  keep
  sd a0, 0(t0)                  /* store to R-only: 15 */
  amoadd.w a0, a0, (t0)         /* AMO to R-only: 15 */
  li t0, 0x5000
  ld a0, 0(t0)                  /* invalid: 13 */
  sw a0, 4(t0)                  /* invalid: 15 */
  lr.d a0, (t0)                 /* invalid: 13 */
  li t0, 0x2000
  ld a0, 0(t0)                  /* U page from S, SUM=0: 13 */
  li t1, 1 << 18
  csrs sstatus, t1
  ld a0, 0(t0)                  /* SUM=1: ok */
  keep
  csrc sstatus, t1
  li t0, 0x3000
  jalr t0                       /* X-only page: runs its ret */
  ld a0, 0(t0)                  /* X-only, MXR=0: 13 */
  li t1, 1 << 19
  csrs sstatus, t1
  ld a0, 0(t0)                  /* MXR=1: ok */
  keep
  csrc sstatus, t1
  li t0, 0x4000
  jalr t0                       /* no X: 12, resumes at ra */
  li t0, 0x6000
  ld a0, 0(t0)                  /* W without R: 13 */
  li t0, 0x7000
  ld a0, 0(t0)                  /* A=0: QEMU sets A (Svade would fault) */
  keep
  li t0, 0x7000
  sd a0, 8(t0)                  /* D=0 after a read filled the TLB: QEMU sets D */
  li t0, 0x8000
  sd t0, 0(t0)                  /* A=1, D=0: QEMU sets D */
  li t0, 0x0000008000000000
  ld a0, 0(t0)                  /* not canonical: 13 */
  li t0, 0x4001
  ld a0, 0(t0)                  /* misaligned inside a page: ok on QEMU */
  keep
  li t0, 0x4ffc
  ld a0, 0(t0)                  /* misaligned across into the invalid page */
  li t0, 0x201238
  ld a0, 0(t0)                  /* megapage: ok */
  keep
  li t0, 0x400000
  ld a0, 0(t0)                  /* misaligned megapage: 13 */
  li t0, 0x1000
  ld a0, 0(t0)                  /* page_ro, now in the TLB */
  la t1, page_user
  srli t1, t1, 12
  slli t1, t1, 10
  ori t1, t1, PTE_V | PTE_R | PTE_A
  la t2, l0
  sd t1, 8(t2)                  /* remap VA 0x1000 to page_user ... */
  sfence.vma
  ld a0, 0(t0)                  /* ... and after sfence.vma the new mapping is used */
  keep
  csrr a0, mstatus              /* M CSR from S: 2 */
  mret                          /* from S: 2 */
  ecall                         /* cause 9 */
  li a7, RET_TO_M
  la a0, m_after_s
  ecall

/* ---- U-mode (runs at the user alias) ---- */
u_code:
  ecall                         /* cause 8 */
  li t0, 0x2000
  ld a0, 0(t0)                  /* U page: ok */
  keep
  li t0, 0x1000
  ld a0, 0(t0)                  /* S page from U: 13 */
  csrr a0, sstatus              /* S CSR from U: 2 */
  sret                          /* 2 */
  li a7, RET_TO_M
  la a0, m_after_u
  li t0, USER_ALIAS
  sub a0, a0, t0                /* la gave the alias address: back to the real one */
  ecall

/* ---- U-mode with delegation: these traps go to s_handler ---- */
u2_code:
  ecall                         /* 8, to S */
  li t0, 0x1000
  ld a0, 0(t0)                  /* 13, to S */
  sd a0, 0(t0)                  /* 15, to S */
  csrr a0, sstatus              /* 2, to S */
  ebreak                        /* 3: not delegated, to M */
  li a7, RET_TO_M
  la a0, m_after_u2
  li t0, USER_ALIAS
  sub a0, a0, t0
  ecall                         /* to S, which forwards it to M with its own ecall */

/* S-mode trap handler: logs scause/sepc/stval with 0x10 | SPP in the mode
 * column, then skips the instruction (reading it through SUM, since sepc is
 * a user address). Uses t4 (saved in sscratch), t5, t6. */
  .balign 4
s_handler:
  csrw sscratch, t4
  la t5, trap_count
  ld t6, 0(t5)
  addi t4, t6, 1
  sd t4, 0(t5)
  li t4, MAX_TRAPS
  bgeu t6, t4, 1f
  slli t6, t6, 5
  la t5, trap_log
  add t5, t5, t6
  csrr t6, scause
  sd t6, 0(t5)
  csrr t6, sepc
  sd t6, 8(t5)
  csrr t6, stval
  sd t6, 16(t5)
  csrr t6, sstatus
  srli t6, t6, 8
  andi t6, t6, 1
  ori t6, t6, 0x10
  sd t6, 24(t5)
1:csrr t6, scause
  li t5, 8
  bne t6, t5, 2f
  li t5, RET_TO_M
  bne a7, t5, 2f
  ecall                         /* from S: M returns to a0 in M-mode */
2:csrr t5, sepc
  li t6, 1 << 18
  csrs sstatus, t6              /* SUM: read the user instruction */
  lhu t6, 0(t5)
  li t4, 1 << 18
  csrc sstatus, t4
  andi t6, t6, 3
  addi t5, t5, 2
  addi t6, t6, -3
  bnez t6, 3f
  addi t5, t5, 2
3:csrw sepc, t5
  csrr t4, sscratch
  sret

/* keep_a0: append a0 to the value log; runs in every mode; uses only t5, t6 (the tests don't) */
keep_a0:
  la t5, values                 /* pc-relative: the alias address when running as U */
  ld t6, 0(t5)
  addi t6, t6, 1
  sd t6, 0(t5)
  slli t6, t6, 3
  add t5, t5, t6
  sd a0, 0(t5)
  ret

/* ---- M-mode trap handler ---- */
  .balign 4
mtrap:
  csrrw sp, mscratch, sp        /* sp was 0 in mscratch before the first trap: use own stack */
  la sp, trap_stack_end
  sd t0, 0(sp)
  sd t1, 8(sp)
  sd t2, 16(sp)
  la t0, trap_count
  ld t1, 0(t0)
  addi t2, t1, 1
  sd t2, 0(t0)
  li t2, MAX_TRAPS
  bgeu t1, t2, 1f
  slli t1, t1, 5
  la t2, trap_log
  add t1, t1, t2
  csrr t2, mcause
  sd t2, 0(t1)
  csrr t2, mepc
  sd t2, 8(t1)
  csrr t2, mtval
  sd t2, 16(t1)
  csrr t2, mstatus
  srli t2, t2, 11
  andi t2, t2, 3
  sd t2, 24(t1)
1:csrr t1, mcause
  li t2, 12
  beq t1, t2, 5f                /* fetch page fault: resume at ra */
  li t2, 1
  beq t1, t2, 5f                /* fetch access fault: resume at ra */
  addi t1, t1, -8
  li t2, 3
  bgeu t1, t2, 3f               /* not an ecall from U/S (8, 9): skip instruction */
  li t2, RET_TO_M
  bne a7, t2, 3f
  li t0, 3 << 11
  csrs mstatus, t0              /* MPP = M */
  csrw mepc, a0
  li a7, 0
  j 6f
3:csrr t0, mepc                 /* skip: 2 or 4 bytes; user alias code lives at -USER_ALIAS */
  li t1, 0xC0000000
  mv t2, t0
  bltu t0, t1, 4f
  li t1, USER_ALIAS
  sub t2, t0, t1
4:lhu t1, 0(t2)
  andi t1, t1, 3
  addi t0, t0, 2
  addi t1, t1, -3
  bnez t1, 7f
  addi t0, t0, 2
7:csrw mepc, t0
  j 6f
5:csrw mepc, ra
6:ld t0, 0(sp)
  ld t1, 8(sp)
  ld t2, 16(sp)
  csrrw sp, mscratch, sp
  mret

/* print_log: "trap cause epc tval mpp" per trap, then "value v" per kept value */
print_log:
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s0, 8(sp)
  sd s1, 16(sp)
  la a0, s_traps
  call puts
  la t0, trap_count
  ld s0, 0(t0)
  mv a0, s0
  call puthex_line
  li t0, MAX_TRAPS
  bleu s0, t0, 1f
  mv s0, t0
1:la s1, trap_log
2:beqz s0, 3f
  la a0, s_trap
  call puts
  .irp off, 0, 8, 16
  ld a0, \off(s1)
  call puthex
  li a0, ' '
  call putc
  .endr
  ld a0, 24(s1)
  call puthex
  li a0, '\n'
  call putc
  addi s1, s1, 32
  addi s0, s0, -1
  j 2b
3:la s1, values
  ld s0, 0(s1)
4:beqz s0, 5f
  addi s1, s1, 8
  la a0, s_value
  call puts
  ld a0, 0(s1)
  call puthex_line
  addi s0, s0, -1
  j 4b
5:la a0, s_end
  call puts
  ld ra, 0(sp)
  ld s0, 8(sp)
  ld s1, 16(sp)
  addi sp, sp, 32
  ret

  .balign 4096
page_xonly:                     /* mapped execute-only at 0x3000 */
  ret
  .balign 4096

  .section .rodata
s_traps: .asciz "traps"
s_trap:  .asciz "trap "
s_value: .asciz "value"
s_end:   .asciz "end\n"

  .data
  .balign 4096
root:      .zero 4096
l1:        .zero 4096
l0:        .zero 4096
page_ro:   .fill 512, 8, 0x0123456789abcdef
page_user: .fill 512, 8, 0x1111222233334444
page_rw:   .fill 512, 8, 0x5555666677778888
page_wonly: .fill 512, 8, 0x99990000aaaabbbb
page_noad: .fill 512, 8, 0xccccddddeeeeffff
page_nod:  .fill 512, 8, 0x0
buf:       .dword 0x0706050403020100, 0x0f0e0d0c0b0a0908, 0x1716151413121110, 0x1f1e1d1c1b1a1918
trap_count: .dword 0
trap_log:  .zero 32 * MAX_TRAPS
values:    .zero 8 * 64
  .balign 16
           .zero 256
trap_stack_end:
           .zero 2048
stack_end:
