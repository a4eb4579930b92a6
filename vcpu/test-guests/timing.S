# Interrupt timing: an interrupt enabled by a CSR write (mstatus, mie, mip,
# mideleg) or by mret is taken before the next instruction. Also: a store to
# already-executed code is seen after fence.i, and a load/store to an address
# with no device takes an access fault.
#include "test.h"
#define CLINT 0x2000000
#define NOWHERE 0x4000000000

.macro MSIP_ON
  li t0, CLINT; li t1, 1; sw t1, 0(t0)
.endm

# after the enabling instruction: s3 must stay 0 and mepc must be `label`
.macro TAKEN_AT n, label, cause
  LOADV a0, m_cause; CHECK \n, a0, \cause
  LOADV a0, m_epc; la a1, \label; li gp, \n + 100; bne a0, a1, fail
  CHECK \n + 200, s3, 0
.endm

.section .text.init
.globl _start
_start:
  la t0, t_handler
  csrw mtvec, t0
  li s3, 0
  # --- 1: csrsi mstatus.MIE with MSIP pending
  li t0, 1 << 3; csrw mie, t0
  MSIP_ON
  SET_RESUME 1f
  csrsi mstatus, 8
a1: addi s3, s3, 1
1: TAKEN_AT 1, a1, 0x8000000000000003
  # --- 2: mret to M with MPIE=1
  MSIP_ON
  li t0, (1 << 7) | MPP_MASK; csrs mstatus, t0
  la t0, a2; csrw mepc, t0
  SET_RESUME 1f
  mret
a2: addi s3, s3, 1
1: TAKEN_AT 2, a2, 0x8000000000000003
  # --- 3: mie write with MIE=1 and MSIP pending
  csrw mie, zero
  MSIP_ON
  csrsi mstatus, 8
  SET_RESUME 1f
  li t0, 1 << 3
  csrs mie, t0
a3: addi s3, s3, 1
1: TAKEN_AT 3, a3, 0x8000000000000003
  # --- 4: mip.SSIP write (not delegated) with mie.SSIE and MIE=1
  li t0, 2; csrw mie, t0
  csrsi mstatus, 8
  SET_RESUME 1f
  csrsi mip, 2
a4: addi s3, s3, 1
1: TAKEN_AT 4, a4, 0x8000000000000001
  # --- 5: mideleg write: SSIP pending and delegated (masked in M), then taken back
  li t0, 2; csrw mideleg, t0
  csrsi mip, 2
  csrsi mstatus, 8
  SET_RESUME 1f
  csrw mideleg, zero
a5: addi s3, s3, 1
1: TAKEN_AT 5, a5, 0x8000000000000001
  csrw mie, zero
  # --- 6: code stored over, fence.i, run again
  jal smc_fn; CHECK 6, a0, 1
  la t0, smc_fn; li t1, 0x00500513; sw t1, 0(t0)   # addi a0, zero, 5
  fence.i
  jal smc_fn; CHECK 7, a0, 5
  # --- 8: load and store where no device is: access faults
  li t2, NOWHERE
  SET_RESUME 1f
a8: ld a0, 0(t2)
1: LOADV a0, m_cause; CHECK 8, a0, 5
  LOADV a0, m_tval; CHECK 9, a0, NOWHERE
  LOADV a0, m_epc; la a1, a8; li gp, 10; bne a0, a1, fail
  SET_RESUME 1f
a11: sd a0, 0(t2)
1: LOADV a0, m_cause; CHECK 11, a0, 7
  LOADV a0, m_tval; CHECK 12, a0, NOWHERE
  LOADV a0, m_epc; la a1, a11; li gp, 13; bne a0, a1, fail
  j pass

smc_fn:
  .4byte 0x00100513      # addi a0, zero, 1 (uncompressed, so one 4-byte store replaces it)
  ret

# records cause/tval/epc, drops MSIP and SSIP, resumes in M with MIE=0
.align 4
t_handler:
  csrr t0, mcause; la t1, m_cause; sd t0, 0(t1)
  csrr t0, mtval; sd t0, 8(t1)
  csrr t0, mepc; sd t0, 16(t1)
  li t0, CLINT; sw zero, 0(t0)
  csrci mip, 2
  li t0, 1 << 7; csrc mstatus, t0
  li t0, MPP_MASK; csrs mstatus, t0
  LOADV t0, resume; csrw mepc, t0
  mret
  PASS_FAIL
.data
  TRAP_DATA
