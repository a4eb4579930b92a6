# Integer loop for MIPS checks: 5 instructions per iteration (mix of ALU,
# load/store and a branch), N iterations from a0... then the finisher.
#include "test.h"
.section .text.init
.globl _start
_start:
  la t0, counter
  li t1, 20000000      # iterations
  li a0, 0
1:
  addi a0, a0, 3
  xor a1, a0, t1
  sd a1, 0(t0)
  ld a2, 0(t0)
  add a0, a0, a2
  andi a0, a0, 0xff
  addi t1, t1, -1
  bnez t1, 1b
  li gp, 1
  j pass
  PASS_FAIL
.data
counter: .dword 0
