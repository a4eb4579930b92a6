# Each hart stores an ever-increasing count to its own word of one page,
# forever (the host stops it). Used by the rights-revocation test.
#include "test.h"
.section .text.init
.globl _start
_start:
  la s1, slots
  slli t0, a0, 3
  add s1, s1, t0
  li s0, 0
1: addi s0, s0, 1
  sd s0, 0(s1)
  j 1b
.data
.align 12
slots: .zero 4096
