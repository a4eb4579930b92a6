# A extension semantics on one hart: every AMO (w and d), LR/SC success,
# failure after a completed SC, SC without LR, LR/SC to a different address.
#include "test.h"
.macro AMO_CHECK n, op, init, src, old, new
  la s1, word
  li t0, \init; sd t0, 0(s1)
  li t1, \src
  \op a0, t1, (s1)
  CHECK \n, a0, \old
  ld a0, 0(s1)
  CHECK (\n + 100), a0, \new
.endm
.section .text.init
.globl _start
_start:
  AMO_CHECK 1, amoswap.d, 5, 7, 5, 7
  AMO_CHECK 2, amoadd.d, 5, -7, 5, -2
  AMO_CHECK 3, amoxor.d, 6, 3, 6, 5
  AMO_CHECK 4, amoand.d, 6, 3, 6, 2
  AMO_CHECK 5, amoor.d, 6, 3, 6, 7
  AMO_CHECK 6, amomin.d, -1, 1, -1, -1
  AMO_CHECK 7, amomax.d, -1, 1, -1, 1
  AMO_CHECK 8, amominu.d, -1, 1, -1, 1
  AMO_CHECK 9, amomaxu.d, -1, 1, -1, -1
  # .w forms operate on the low word and sign-extend the old value
  AMO_CHECK 10, amoswap.w, 0x1ffffffff, 7, -1, 0x100000007
  AMO_CHECK 11, amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0x80000000
  AMO_CHECK 12, amoxor.w, 6, 3, 6, 5
  AMO_CHECK 13, amoand.w, 6, 3, 6, 2
  AMO_CHECK 14, amoor.w, 6, 3, 6, 7
  AMO_CHECK 15, amomin.w, 0xffffffff, 1, -1, 0xffffffff
  AMO_CHECK 16, amomax.w, 0xffffffff, 1, -1, 1
  AMO_CHECK 17, amominu.w, 0xffffffff, 1, -1, 1
  AMO_CHECK 18, amomaxu.w, 0xffffffff, 1, -1, 0xffffffff
  # LR/SC
  la s1, word
  li t0, 40; sd t0, 0(s1)
  lr.d a0, (s1); CHECK 20, a0, 40
  li t1, 41
  sc.d a1, t1, (s1); CHECK 21, a1, 0
  ld a0, 0(s1); CHECK 22, a0, 41
  sc.d a1, t1, (s1); CHECK 23, a1, 1         # reservation consumed
  la s2, word2
  lr.d a0, (s1)
  sc.d a1, t1, (s2); CHECK 24, a1, 1         # other address fails
  sc.d a1, t1, (s1); CHECK 25, a1, 1         # and cleared the reservation
  li t0, -5; sw t0, 0(s1)
  lr.w a0, (s1); CHECK 26, a0, -5
  li t1, 9
  sc.w a1, t1, (s1); CHECK 27, a1, 0
  lw a0, 0(s1); CHECK 28, a0, 9
  j pass
  PASS_FAIL
.data
.align 3
word: .dword 0
word2: .dword 0
