/* Interrupt-timing differential test: an interrupt that is already pending
 * must trap right after the CSR write that enables it (priv spec 3.1.9: the
 * conditions are evaluated immediately after an explicit write to mie or
 * mstatus, and after xRET). Covers the machine timer (mtimecmp = 0) and the
 * software interrupt (msip), enabled through mie, mstatus.MIE and mret
 * (MPIE). Logs mcause, mepc, mip at each trap, and mip when nothing is
 * enabled; prints the log (uart-print.S). */
#define FINISHER 0x100000
#define CLINT_MSIP 0x2000000
#define CLINT_MTIMECMP 0x2004000

  .section .text.start, "ax"
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park
  la sp, stack_end
  la t0, mtrap
  csrw mtvec, t0
  csrw mie, zero
  csrci mstatus, 8

  /* timer: pending (mtimecmp = 0 is in the past), enabled by mie then MIE */
  li t0, CLINT_MTIMECMP
  sd zero, 0(t0)
  csrr a0, mip
  call keep_mip_bit7            /* MTIP visible while disabled */
  li t0, 1 << 7
  csrs mie, t0
  csrsi mstatus, 8              /* must trap right after this */
at_timer_1:
  nop

  /* timer again, this time enabled through mret's MPIE */
  csrci mstatus, 8              /* the first trap's mret turned MIE back on */
  li t0, CLINT_MTIMECMP
  sd zero, 0(t0)
  li t0, 1 << 7
  csrs mie, t0
  li t0, 1 << 7
  csrs mstatus, t0              /* MPIE = 1 */
  li t0, 3 << 11
  csrs mstatus, t0              /* MPP = M */
  la t0, at_timer_2
  csrw mepc, t0
  mret                          /* traps at at_timer_2, before it runs */
at_timer_2:
  nop

  /* software interrupt: msip set while disabled, then enabled through mie */
  li t0, CLINT_MSIP
  li t1, 1
  sw t1, 0(t0)
  csrci mstatus, 8
  csrsi mstatus, 8              /* MIE on, but MSIE still off: no trap */
  nop
  li t0, 1 << 3
  csrs mie, t0                  /* must trap right after this */
at_soft:
  nop

  call print_log
  li t0, FINISHER
  li t1, 0x5555
  sw t1, 0(t0)
park:
  wfi
  j park

keep_mip_bit7:
  srli a0, a0, 7
  andi a0, a0, 1
  la t5, mip_seen
  sd a0, 0(t5)
  ret

/* trap: log mcause, mepc; silence the source (mtimecmp = -1, msip = 0); mret */
  .balign 4
mtrap:
  csrrw sp, mscratch, sp
  la sp, trap_stack_end
  sd t0, 0(sp)
  sd t1, 8(sp)
  la t0, trap_count
  ld t1, 0(t0)
  addi t1, t1, 1
  sd t1, 0(t0)
  slli t1, t1, 4
  add t0, t0, t1                /* entry i at trap_count + 16 i (i from 1) */
  csrr t1, mcause
  sd t1, -8(t0)
  csrr t1, mepc
  sd t1, 0(t0)
  li t0, CLINT_MTIMECMP
  li t1, -1
  sd t1, 0(t0)
  li t0, CLINT_MSIP
  sw zero, 0(t0)
  li t0, (1 << 7) | (1 << 3)
  csrc mie, t0                  /* and disable both until the next part */
  ld t0, 0(sp)
  ld t1, 8(sp)
  csrrw sp, mscratch, sp
  mret

print_log:
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s0, 8(sp)
  sd s1, 16(sp)
  la a0, s_mip
  call puts
  la t0, mip_seen
  ld a0, 0(t0)
  call puthex_line
  la a0, s_traps
  call puts
  la t0, trap_count
  ld s0, 0(t0)
  mv a0, s0
  call puthex_line
  la s1, trap_count
1:beqz s0, 2f
  la a0, s_trap
  call puts
  ld a0, 8(s1)
  call puthex
  ld a0, 16(s1)
  call puthex_line
  addi s1, s1, 16
  addi s0, s0, -1
  j 1b
2:la a0, s_labels
  call puts
  la a0, at_timer_1
  call puthex
  li a0, ' '
  call putc
  la a0, at_timer_2
  call puthex
  li a0, ' '
  call putc
  la a0, at_soft
  call puthex_line
  ld ra, 0(sp)
  ld s0, 8(sp)
  ld s1, 16(sp)
  addi sp, sp, 32
  ret

  .section .rodata
s_mip:    .asciz "mtip"
s_traps:  .asciz "traps"
s_trap:   .asciz "trap "
s_labels: .asciz "want "

  .data
  .balign 8
mip_seen:   .dword 0
trap_count: .dword 0
trap_log:   .zero 16 * 8
  .balign 16
  .zero 512
trap_stack_end:
  .zero 1024
stack_end:
