# Interrupts: software (CLINT msip -> MSIP), timer (mtimecmp -> MTIP),
# MSI-before-MTI priority, WFI wake-up, and a delegated S timer (STIP).
#include "test.h"
#define CLINT 0x2000000
#define MTIMECMP (CLINT + 0x4000)
#define MTIME (CLINT + 0xbff8)

.macro WAIT_COUNT n
  li s2, \n
  # check and sleep with MIE=0: an interrupt taken between the check and a
  # plain wfi would leave the wfi waiting for one that never comes (QEMU
  # takes interrupts at block ends, so this happens there)
1: csrci mstatus, 8
  LOADV a0, ncauses
  bge a0, s2, 2f
  wfi                    # wakes on mip & mie even with MIE=0
  csrsi mstatus, 8       # the interrupt is taken here
  j 1b
2: csrsi mstatus, 8
.endm

.section .text.init
.globl _start
_start:
  la t0, irq_handler
  csrw mtvec, t0
  li t0, -1; csrw pmpaddr0, t0
  li t0, 0x1f; csrw pmpcfg0, t0
  li t0, MTIMECMP; li t1, -1; sd t1, 0(t0)
  # --- software interrupt
  li t0, 1 << 3; csrs mie, t0
  csrsi mstatus, 8
  li t0, CLINT; li t1, 1; sw t1, 0(t0)
  WAIT_COUNT 1
  LOADV a0, causes; CHECK 1, a0, 0x8000000000000003
  # --- timer interrupt, waited for with WFI
  li t0, 1 << 7; csrs mie, t0
  li t0, MTIME; ld t1, 0(t0)
  addi t1, t1, 1000
  li t0, MTIMECMP; sd t1, 0(t0)
  WAIT_COUNT 2
  la t0, causes; ld a0, 8(t0); CHECK 2, a0, 0x8000000000000007
  # --- both pending while MIE=0: MSI is taken first
  csrci mstatus, 8
  li t0, MTIMECMP; sd zero, 0(t0)
  li t0, CLINT; li t1, 1; sw t1, 0(t0)
  li t0, 100
1: addi t0, t0, -1       # let the host see both
  bnez t0, 1b
  csrr a0, mip; andi a0, a0, 0x88; CHECK 3, a0, 0x88
  csrsi mstatus, 8
  WAIT_COUNT 4
  la t0, causes; ld a0, 16(t0); CHECK 4, a0, 0x8000000000000003
  ld a0, 24(t0); CHECK 5, a0, 0x8000000000000007
  # --- delegated supervisor timer interrupt (STIP set by M software)
  csrci mstatus, 8
  li t0, 1 << 5; csrw mideleg, t0
  csrs mie, t0
  csrs mip, t0
  la t0, s_handler; csrw stvec, t0
  csrsi mstatus, 2       # SIE
  SET_RESUME 1f
  ENTER_S 3f
3: j 3b                  # interrupt arrives here
1: LOADV a0, s_cause; CHECK 6, a0, 0x8000000000000005
  la t0, causes; ld a0, 32(t0); CHECK 7, a0, 9
  j pass

.align 4
s_handler:
  csrr t0, scause
  la t1, s_cause
  sd t0, 0(t1)
  ecall

.align 4
irq_handler:
  csrr t0, mcause
  la t1, causes
  la t3, ncauses
  ld t2, 0(t3)
  slli t4, t2, 3
  add t4, t4, t1
  sd t0, 0(t4)
  addi t2, t2, 1
  sd t2, 0(t3)
  bltz t0, 4f
  li t0, 1 << 5; csrc mip, t0        # exception: ecall from S
  li t0, MPP_MASK; csrs mstatus, t0
  LOADV t0, resume
  csrw mepc, t0
  mret
4: andi t0, t0, 63
  li t2, 3
  bne t0, t2, 5f
  li t1, CLINT; sw zero, 0(t1)
  mret
5: li t2, 7
  bne t0, t2, fail
  li t1, MTIMECMP; li t2, -1; sd t2, 0(t1)
  mret
  PASS_FAIL
.data
  TRAP_DATA
s_cause: .dword 0
ncauses: .dword 0
causes: .zero 128
