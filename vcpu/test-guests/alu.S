# Pure integer ALU loop (no memory traffic) for MIPS checks.
#include "test.h"
.section .text.init
.globl _start
_start:
  li t1, 30000000
  li a0, 1
  li a1, 7
1:
  add a0, a0, a1
  xor a1, a1, a0
  slli a2, a0, 3
  sub a0, a2, a1
  srli a1, a0, 5
  addi t1, t1, -1
  bnez t1, 1b
  j pass
  PASS_FAIL
