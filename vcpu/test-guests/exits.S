# Exits: MMIO reads (sign/zero extension via completeMmio) and writes, page
# exits with exactly-once retry, SBI forwarding, WFI, AMO/fetch on MMIO.
#include "test.h"
#define DEV 0x30000000
.section .text.init
.globl _start
_start:
  la t0, m_handler
  csrw mtvec, t0
  li s1, DEV
  lb a0, 0(s1);  CHECK 1, a0, 0xffffffffffffff80
  lbu a0, 0(s1); CHECK 2, a0, 0x80
  lh a0, 0(s1);  CHECK 3, a0, 0x3280
  lw a0, 0(s1);  CHECK 4, a0, 0x76543280
  lwu a0, 0(s1); CHECK 5, a0, 0x76543280
  ld a0, 0(s1);  CHECK 6, a0, 0xfedcba9876543280
  li a1, 0x1122334455667788
  sd a1, 8(s1)
  sh a1, 16(s1)
  # lazy page: the amoadd runs exactly once after the host supplies the frame
  la s2, lazy
  li t1, 1
  amoadd.d a0, t1, (s2); CHECK 7, a0, 0
  ld a0, 0(s2); CHECK 8, a0, 1
  # read-only page: the store exits (write), host upgrades, retry lands once
  la s3, ro_page
  ld a0, 0(s3); CHECK 9, a0, 0
  li t1, 5
  amoadd.d zero, t1, (s3)
  ld a0, 0(s3); CHECK 10, a0, 5
  # AMO to MMIO: store/AMO access fault
  SET_RESUME 1f
  amoswap.d a0, a0, (s1)
1: LOADV a0, m_cause; CHECK 11, a0, 7
  # fetch from MMIO: instruction access fault
  SET_RESUME 1f
  jr s1
1: LOADV a0, m_cause; CHECK 12, a0, 1
  LOADV a0, m_tval; CHECK 13, a0, DEV
  # WFI with nothing pending exits to the host
  wfi
  # SBI: S-mode ecall becomes an exit; the host answers a0/a1
  SET_RESUME 1f
  ENTER_S 2f
2: li a7, 0x10
  li a6, 3
  li a0, 77
  ecall
  la t0, sbi_ret; sd a0, 0(t0); sd a1, 8(t0)
  csrr t0, mstatus       # illegal in S: back to M at resume
1: la t0, sbi_ret; ld a0, 0(t0); CHECK 14, a0, 0
  ld a0, 8(t0); CHECK 15, a0, 42
  j pass
  M_HANDLER
  PASS_FAIL
.data
  TRAP_DATA
sbi_ret: .dword 0, 0
.align 12
lazy: .zero 4096
ro_page: .zero 4096
