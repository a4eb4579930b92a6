# Multi-hart atomics: every hart adds ITER to three counters, through
# amoadd.d, an LR/SC loop, and a plain increment under an amoswap spinlock.
#include "test.h"
#define ITER 20000
.section .text.init
.globl _start
_start:
  li s0, ITER
  la s1, c_amo
  la s2, c_lrsc
  la s3, c_lock
  la s4, lock
  li t2, 1
1:
  amoadd.d zero, t2, (s1)
2: lr.d t0, (s2)
  addi t0, t0, 1
  sc.d t1, t0, (s2)
  bnez t1, 2b
3: amoswap.w.aq t0, t2, (s4)
  bnez t0, 3b
  ld t0, 0(s3)
  addi t0, t0, 1
  sd t0, 0(s3)
  amoswap.w.rl zero, zero, (s4)
  addi s0, s0, -1
  bnez s0, 1b
  j pass
  PASS_FAIL
.data
.align 6
c_amo: .dword 0
.align 6
c_lrsc: .dword 0
.align 6
c_lock: .dword 0
.align 6
lock: .dword 0
