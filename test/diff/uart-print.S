/* UART output for the differential-test programs (harness.S, traps.S):
 * putc, puts, putdec (0..99), puthex (16 digits), puthex_line (" " + hex + "\n").
 * Standard calling convention; they touch only a0, t0-t2 and their own saved s-registers. */
#define UART 0x10000000
  .text
  .globl putc, puts, putdec, puthex, puthex_line
/* putc(a0): wait for THR empty (LSR bit 5), then write */
putc:
  li t0, UART
1:lbu t1, 5(t0)
  andi t1, t1, 0x20
  beqz t1, 1b
  sb a0, 0(t0)
  ret
/* puts(a0): NUL-terminated string */
puts:
  addi sp, sp, -16
  sd ra, 0(sp)
  sd s5, 8(sp)
  mv s5, a0
1:lbu a0, 0(s5)
  beqz a0, 2f
  call putc
  addi s5, s5, 1
  j 1b
2:ld ra, 0(sp)
  ld s5, 8(sp)
  addi sp, sp, 16
  ret
/* putdec(a0): 0..99 */
putdec:
  addi sp, sp, -16
  sd ra, 0(sp)
  sd s5, 8(sp)
  mv s5, a0
  li t2, 10
  blt s5, t2, 1f
  divu a0, s5, t2
  addi a0, a0, '0'
  call putc
  li t2, 10
  remu s5, s5, t2
1:addi a0, s5, '0'
  call putc
  ld ra, 0(sp)
  ld s5, 8(sp)
  addi sp, sp, 16
  ret
/* puthex(a0): 16 hex digits */
puthex:
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s5, 8(sp)
  sd s6, 16(sp)
  mv s5, a0
  li s6, 60
1:srl a0, s5, s6
  andi a0, a0, 15
  addi a0, a0, '0'
  li t2, '9'
  bleu a0, t2, 2f
  addi a0, a0, 'a' - '9' - 1
2:call putc
  addi s6, s6, -4
  bgez s6, 1b
  ld ra, 0(sp)
  ld s5, 8(sp)
  ld s6, 16(sp)
  addi sp, sp, 32
  ret
/* puthex_line(a0): " " + 16 hex digits + "\n" */
puthex_line:
  addi sp, sp, -16
  sd ra, 0(sp)
  sd a0, 8(sp)
  li a0, ' '
  call putc
  ld a0, 8(sp)
  call puthex
  li a0, '\n'
  call putc
  ld ra, 0(sp)
  addi sp, sp, 16
  ret

