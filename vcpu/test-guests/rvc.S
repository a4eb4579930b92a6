# Compressed instructions (explicit c.* forms) and a 32-bit instruction
# straddling a page boundary.
#include "test.h"
.section .text.init
.globl _start
_start:
  la sp, stack_top
  la s0, buf
  c.li a0, -5;            CHECK 1, a0, -5
  c.addi a0, 7;           CHECK 2, a0, 2
  c.addiw a0, -3;         CHECK 3, a0, -1
  c.lui a1, 0xfffe1;      CHECK 4, a1, 0xfffffffffffe1000
  c.addi16sp sp, -64
  c.addi4spn a2, sp, 16
  sub a3, a2, sp;         CHECK 5, a3, 16
  c.addi16sp sp, 64
  c.mv a2, a0;            CHECK 6, a2, -1
  c.li a3, 12
  c.add a3, a2;           CHECK 7, a3, 11
  c.sub a3, a2;           CHECK 8, a3, 12
  c.xor a3, a2;           CHECK 9, a3, -13
  c.or a3, a2;            CHECK 10, a3, -1
  c.andi a3, 5;           CHECK 11, a3, 5
  c.and a3, a2;           CHECK 12, a3, 5
  c.slli a3, 60;          CHECK 13, a3, 0x5000000000000000
  c.srli a3, 58;          CHECK 14, a3, 0x14
  li a4, -64
  c.srai a4, 3;           CHECK 15, a4, -8
  li a4, 0x7fffffff
  li a5, 1
  c.addw a4, a5;          CHECK 16, a4, 0xffffffff80000000
  c.subw a4, a5;          CHECK 17, a4, 0x7fffffff
  li a5, 0x1122334455667788
  c.sd a5, 8(s0)
  c.ld a2, 8(s0);         CHECK 18, a2, 0x1122334455667788
  c.sw a5, 16(s0)
  c.lw a2, 16(s0);        CHECK 19, a2, 0x55667788
  c.sdsp a5, 0(sp)
  c.ldsp a3, 0(sp);       CHECK 20, a3, 0x1122334455667788
  c.swsp a5, 8(sp)
  c.lwsp a3, 8(sp);       CHECK 21, a3, 0x55667788
  c.li a0, 0
  c.beqz a0, 1f
  j fail
1: c.bnez a0, fail
  c.j 1f
  j fail
1: la t0, func
  c.jalr t0;              CHECK 22, a0, 9
  la t0, 1f
  c.jr t0
  j fail
1: # jump to a 32-bit instruction that starts 2 bytes before a page end
  li a0, 0
  la t0, straddle
  jr t0
back: CHECK 23, a0, 0x7ff
  j pass
func:
  c.li a0, 9
  c.jr ra
  PASS_FAIL

.balign 4096
  .skip 4096 - 2
.option push
.option norvc
straddle:
  addi a0, a0, 0x7ff       # bytes 0xffe..0x1001: crosses the page
.option pop
  j back

.data
.align 3
buf: .zero 64
.align 4
  .zero 512
stack_top:
