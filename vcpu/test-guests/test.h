/* Shared macros for the vcpu ISA test guests. Exit through the sifive test
 * finisher: 0x5555 = pass, (n << 16) | 0x3333 = fail at check n. */
#define FINISHER 0x100000
#define UART 0x10000000

.macro CHECK n, reg, val
  li gp, \n
  li t6, \val
  bne \reg, t6, fail
.endm

.macro PASS_FAIL
pass:
  li t0, FINISHER
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
fail:
  li t0, FINISHER
  slli gp, gp, 16
  li t1, 0x3333
  or gp, gp, t1
  sw gp, 0(t0)
1: j 1b
.endm
