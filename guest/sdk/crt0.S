/* Entry for every hart: a0 = mhartid, a1 = FDT address (QEMU virt -bios none). */
#define STACK_SHIFT 14            /* 16 KiB per hart */
#define MAX_HARTS 64

  .section .text.start, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  mv tp, a0                       /* tp = hartid for hart_id() */
  li t0, MAX_HARTS
  bgeu a0, t0, park               /* no stack for this hart: keep it out of the way */
  la sp, __stacks_end
  slli t0, a0, STACK_SHIFT
  sub sp, sp, t0                  /* hart h uses [end - (h+1)*16K, end - h*16K) */
  li t0, 0x2000
  csrs mstatus, t0                /* FS = Initial: enable the FPU */
  csrw fcsr, zero
  la t0, sdk_trap_entry
  csrw mtvec, t0                  /* direct mode; the handler is 4-byte aligned */
  csrw mie, zero
  bnez a0, secondary
  /* hart 0: zero .bss once, then boot the SDK (which releases the others) */
  la t0, __bss_start
  la t1, __bss_end
1:bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:call sdk_boot                   /* sdk_boot(hartid, fdt) never returns */
secondary:
  call sdk_secondary              /* sdk_secondary(hartid, fdt) never returns */
park:
  wfi
  j park

  .text
  .balign 4
  .globl sdk_trap_entry
sdk_trap_entry:
  csrr a0, mcause
  csrr a1, mepc
  csrr a2, mtval
  mv a3, tp
  andi sp, sp, -16
  call sdk_trap
  j park
