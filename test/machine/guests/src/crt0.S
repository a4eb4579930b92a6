# Minimal M-mode start for test guests: every hart enters here with
# a0 = hartid, a1 = FDT (QEMU virt -bios none). Hart 0 clears .bss,
# the others wait for it; each hart gets a 16 KiB stack.
  .section .text.init
  .globl _start
_start:
  csrw mie, zero
  la t0, trap_entry
  csrw mtvec, t0
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __stacks_end
  slli t0, a0, 14
  sub sp, sp, t0
  bnez a0, wait_bss
  la t0, __bss_start
  la t1, __bss_end
clear:
  bgeu t0, t1, cleared
  sd zero, 0(t0)
  addi t0, t0, 8
  j clear
cleared:
  fence rw, rw
  la t0, bss_ready
  li t1, 1
  sw t1, 0(t0)
  j enter
wait_bss:
  la t0, bss_ready
1:lw t1, 0(t0)
  beqz t1, 1b
  fence rw, rw
enter:
  call main
  call finish
2:j 2b

  .align 4
trap_entry:
  addi sp, sp, -128
  sd ra, 0(sp)
  sd t0, 8(sp)
  sd t1, 16(sp)
  sd t2, 24(sp)
  sd a0, 32(sp)
  sd a1, 40(sp)
  sd a2, 48(sp)
  sd a3, 56(sp)
  sd a4, 64(sp)
  sd a5, 72(sp)
  sd a6, 80(sp)
  sd a7, 88(sp)
  sd t3, 96(sp)
  sd t4, 104(sp)
  sd t5, 112(sp)
  sd t6, 120(sp)
  csrr a0, mcause
  csrr a1, mepc
  call trap_handler
  csrw mepc, a0
  ld ra, 0(sp)
  ld t0, 8(sp)
  ld t1, 16(sp)
  ld t2, 24(sp)
  ld a0, 32(sp)
  ld a1, 40(sp)
  ld a2, 48(sp)
  ld a3, 56(sp)
  ld a4, 64(sp)
  ld a5, 72(sp)
  ld a6, 80(sp)
  ld a7, 88(sp)
  ld t3, 96(sp)
  ld t4, 104(sp)
  ld t5, 112(sp)
  ld t6, 120(sp)
  addi sp, sp, 128
  mret

  .section .data
  .align 2
bss_ready:
  .word 0
