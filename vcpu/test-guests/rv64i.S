# Integer ISA checks: RV64I + M, loads/stores, branches, jumps, W-ops, misaligned.
#include "test.h"
.section .text.init
.globl _start
_start:
  la sp, stack_top
  # --- arithmetic / logic
  li a1, 5; li a2, -3
  add a0, a1, a2;  CHECK 1, a0, 2
  sub a0, a2, a1;  CHECK 2, a0, -8
  xor a0, a1, a2;  CHECK 3, a0, (5 ^ -3)
  or a0, a1, a2;   CHECK 4, a0, (5 | -3)
  and a0, a1, a2;  CHECK 5, a0, (5 & -3)
  slt a0, a2, a1;  CHECK 6, a0, 1
  sltu a0, a2, a1; CHECK 7, a0, 0
  li a3, 0x8000000000000000
  srai a0, a3, 63; CHECK 8, a0, -1
  srli a0, a3, 63; CHECK 9, a0, 1
  li a4, 65
  sll a0, a1, a4;  CHECK 10, a0, 10
  sra a0, a3, a4;  CHECK 11, a0, 0xc000000000000000
  srl a0, a3, a4;  CHECK 12, a0, 0x4000000000000000
  slti a0, a2, -2; CHECK 13, a0, 1
  sltiu a0, a1, -1; CHECK 14, a0, 1
  xori a0, a1, -1; CHECK 15, a0, -6
  andi a0, a2, 0x7f; CHECK 16, a0, 0x7d
  ori a0, zero, -2048; CHECK 17, a0, -2048
  slli a0, a1, 62; CHECK 18, a0, 0x4000000000000000
  lui a0, 0x80000; CHECK 19, a0, 0xffffffff80000000
1: auipc a0, 0
  la a5, 1b
  bne a0, a5, fail19
  # --- W ops
  li a1, 0x7fffffff
  addiw a0, a1, 1; CHECK 20, a0, 0xffffffff80000000
  addw a0, a1, a1; CHECK 21, a0, -2
  subw a0, zero, a1; CHECK 22, a0, -0x7fffffff
  sllw a0, a1, a4; CHECK 23, a0, -2
  srlw a0, a2, a4; CHECK 24, a0, 0x7ffffffe
  sraw a0, a2, a4; CHECK 25, a0, -2
  slliw a0, a1, 31; CHECK 26, a0, 0xffffffff80000000
  srliw a0, a2, 28; CHECK 27, a0, 15
  sraiw a0, a2, 28; CHECK 28, a0, -1
  # --- M
  li a1, 7; li a2, -2
  mul a0, a1, a2; CHECK 30, a0, -14
  li a3, 0x8000000000000000; li a5, -1
  mulh a0, a3, a3; CHECK 31, a0, 0x4000000000000000
  mulhu a0, a5, a5; CHECK 32, a0, -2
  mulhsu a0, a5, a5; CHECK 33, a0, -1
  mulh a0, a5, a1; CHECK 34, a0, -1
  div a0, a1, a2; CHECK 35, a0, -3
  rem a0, a1, a2; CHECK 36, a0, 1
  divu a0, a1, a2; CHECK 37, a0, 0
  remu a0, a1, a2; CHECK 38, a0, 7
  div a0, a1, zero; CHECK 39, a0, -1
  divu a0, a1, zero; CHECK 40, a0, -1
  rem a0, a1, zero; CHECK 41, a0, 7
  remu a0, a1, zero; CHECK 42, a0, 7
  div a0, a3, a5; CHECK 43, a0, 0x8000000000000000
  rem a0, a3, a5; CHECK 44, a0, 0
  li a3, 0x80000000
  divw a0, a3, a5; CHECK 45, a0, 0xffffffff80000000
  remw a0, a3, a5; CHECK 46, a0, 0
  divw a0, a1, zero; CHECK 47, a0, -1
  remuw a0, a2, a1; CHECK 48, a0, (0xfffffffe % 7)
  divuw a0, a2, a1; CHECK 49, a0, (0xfffffffe / 7)
  mulw a0, a3, a1; CHECK 50, a0, 0xffffffff80000000
  # --- loads / stores
  la t0, buf
  li a1, 0x8382818087868584
  sd a1, 0(t0)
  lb a0, 0(t0); CHECK 60, a0, 0xffffffffffffff84
  lbu a0, 0(t0); CHECK 61, a0, 0x84
  lh a0, 2(t0); CHECK 62, a0, 0xffffffffffff8786
  lhu a0, 2(t0); CHECK 63, a0, 0x8786
  lw a0, 4(t0); CHECK 64, a0, 0xffffffff83828180
  lwu a0, 4(t0); CHECK 65, a0, 0x83828180
  ld a0, 0(t0); CHECK 66, a0, 0x8382818087868584
  sb zero, 1(t0); sh zero, 4(t0)
  ld a0, 0(t0); CHECK 67, a0, 0x8382000087860084
  li a1, 0x1122334455667788
  sw a1, 8(t0)
  ld a0, 8(t0); CHECK 68, a0, 0x55667788
  # misaligned (emulated)
  sd a1, 3(t0)
  ld a0, 3(t0); CHECK 69, a0, 0x1122334455667788
  lw a0, 5(t0); CHECK 70, a0, 0x33445566
  # page-crossing misaligned
  la t1, pagebuf
  li a2, 4093
  add t1, t1, a2
  sd a1, 0(t1)
  ld a0, 0(t1); CHECK 71, a0, 0x1122334455667788
  lhu a0, 2(t1); CHECK 72, a0, 0x5566
  # --- branches
  li a1, -1; li a2, 1
  blt a1, a2, 1f; j fail73
1: bge a2, a1, 1f; j fail73
1: bltu a2, a1, 1f; j fail73
1: bgeu a1, a2, 1f; j fail73
1: beq a1, a1, 1f; j fail73
1: bne a1, a2, 1f; j fail73
1: beq a1, a2, fail73
  bge a1, a2, fail73
  bltu a1, a2, fail73
  # --- jal / jalr
  jal ra, func
  CHECK 74, a0, 42
  la t0, func
  jalr ra, 1(t0)    # low bit cleared
  CHECK 75, a0, 42
  # x0 stays zero
  addi zero, zero, 5
  CHECK 76, zero, 0
  # fence / fence.i are accepted
  fence
  fence.i
  j pass
func:
  li a0, 42
  ret
fail19: li gp, 19; j fail
fail73: li gp, 73; j fail
  PASS_FAIL

.data
.align 3
buf: .zero 64
.align 12
pagebuf: .zero 8192
.align 4
  .zero 4096
stack_top:
