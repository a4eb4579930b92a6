/**
 * The memory map of the unum board: QEMU `virt` (7.2) as guests built for
 * `qemu-system-riscv64 -M virt` expect it. These are the only copies of
 * these numbers in unum; every other package imports them from here.
 *
 * ```
 *   guest-physical                                              IRQ (PLIC source)
 *   0x0000_0000 ┌──────────────────────────────┐
 *               │ (nothing: access fault)      │
 *   0x0010_0000 ├──────────────────────────────┤
 *               │ test finisher  (4 KiB)       │  sifive,test0: pass/fail/reset
 *   0x0010_1000 ├──────────────────────────────┤
 *               │ goldfish RTC   (4 KiB)       │  11   google,goldfish-rtc: host wall clock
 *   0x0010_2000 ├──────────────────────────────┤
 *               ┆                              ┆
 *   0x0200_0000 ├──────────────────────────────┤
 *               │ CLINT          (64 KiB)      │  msip, mtimecmp, mtime; served by each hart's node
 *   0x0201_0000 ├──────────────────────────────┤
 *               ┆                              ┆
 *   0x0C00_0000 ├──────────────────────────────┤
 *               │ PLIC           (6 MiB)       │  95 sources, 2 contexts per hart (M, S)
 *   0x0C60_0000 ├──────────────────────────────┤
 *               ┆                              ┆
 *   0x1000_0000 ├──────────────────────────────┤
 *               │ UART0 ns16550a (256 B)       │  10
 *   0x1000_1000 ├──────────────────────────────┤
 *               │ virtio-mmio ×8 (4 KiB each)  │  1..8 served on the device node
 *   0x1000_9000 ├──────────────────────────────┤
 *               ┆                              ┆
 *   0x8000_0000 ├──────────────────────────────┤
 *               │ DRAM (size per VM)           │  guest RAM; the FDT goes near its end
 *               └──────────────────────────────┘
 *   timebase: 10 MHz (mtime, the `time` CSR, /cpus/timebase-frequency)
 * ```
 *
 * Which devices actually sit where is decided by the board
 * (`virt-board.ts`); this file only names the addresses.
 */

/** SiFive test finisher: the guest's way to end the VM with a status. */
export const FINISHER_BASE = 0x0010_0000;
export const FINISHER_SIZE = 0x1000;

/** Goldfish RTC: the guest's wall clock. */
export const RTC_BASE = 0x0010_1000;
export const RTC_SIZE = 0x1000;
export const RTC_IRQ = 11;

/** Core-local interruptor: msip[h] at +4h, mtimecmp[h] at +0x4000 + 8h, mtime at +0xBFF8. */
export const CLINT_BASE = 0x0200_0000;
export const CLINT_SIZE = 0x1_0000;

/** Platform-level interrupt controller. */
export const PLIC_BASE = 0x0c00_0000;
export const PLIC_SIZE = 0x60_0000;

/** The console UART (ns16550a) and its PLIC source. */
export const UART_BASE = 0x1000_0000;
export const UART_SIZE = 0x100;
export const UART_IRQ = 10;

/** virtio-mmio transports: slot i at VIRTIO_BASE + i·VIRTIO_SIZE, IRQ VIRTIO_IRQ + i. */
export const VIRTIO_BASE = 0x1000_1000;
export const VIRTIO_SIZE = 0x1000;
export const VIRTIO_COUNT = 8;
export const VIRTIO_IRQ = 1;

/** Guest RAM starts here (QEMU virt's DRAM). */
export const RAM_BASE = 0x8000_0000;

/** The RISC-V base page: the unit in which guest RAM is mapped, owned and shared. */
export const PAGE_SIZE = 4096;

/** mtime ticks per second (QEMU virt's timebase-frequency). */
export const TIMEBASE_HZ = 10_000_000;

/** virtio-mmio slot `i`: where it is and its PLIC source. */
export function virtioSlot(i: number): { base: number; size: number; irq: number } {
  if (!Number.isInteger(i) || i < 0 || i >= VIRTIO_COUNT) throw new RangeError(`no virtio-mmio slot ${i}`);
  return { base: VIRTIO_BASE + i * VIRTIO_SIZE, size: VIRTIO_SIZE, irq: VIRTIO_IRQ + i };
}
