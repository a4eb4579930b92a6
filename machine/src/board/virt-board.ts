/**
 * The unum board: what QEMU virt 7.2 places, one line per device. The MMIO
 * bus and the device tree are derived from this list; to add a device,
 * write its file in devices/ (model + tree node) and add its line here.
 * Order is the order of the nodes under /soc in the device tree.
 */
import { clint, clintRegister, type ClintReg } from '../devices/clint.js';
import { goldfishRtc } from '../devices/goldfish-rtc.js';
import { plic } from '../devices/plic.js';
import { testFinisher } from '../devices/test-finisher.js';
import { uart } from '../devices/uart.js';
import { virtioMmio } from '../devices/virtio/virtio-mmio.js';
import { Board, type Placement } from './board.js';
import {
  CLINT_BASE, CLINT_SIZE, FINISHER_BASE, FINISHER_SIZE, PLIC_BASE, PLIC_SIZE, RTC_BASE, RTC_IRQ, RTC_SIZE, UART_BASE, UART_IRQ, UART_SIZE,
  VIRTIO_COUNT, virtioSlot,
} from './memory-map.js';

const VIRT: readonly Placement[] = [
  { device: testFinisher, base: FINISHER_BASE, size: FINISHER_SIZE },
  { device: goldfishRtc, base: RTC_BASE, size: RTC_SIZE, irq: RTC_IRQ },
  { device: uart, base: UART_BASE, size: UART_SIZE, irq: UART_IRQ },
  // QEMU's order: the highest slot first (it takes the first device, so the first --drive is /dev/vda)
  ...Array.from({ length: VIRTIO_COUNT }, (_, i) => ({ device: virtioMmio, ...virtioSlot(VIRTIO_COUNT - 1 - i) })),
  { device: plic, base: PLIC_BASE, size: PLIC_SIZE },
  { device: clint, base: CLINT_BASE, size: CLINT_SIZE },
];

/** The QEMU-virt-compatible board every unum VM is built on (a fresh copy: extend it with `.with(...)`). */
export function virtBoard(): Board {
  return new Board(VIRT);
}

/** Whether `gpa` is a CLINT register (served by the hart's node, not the bus). */
export function isClint(gpa: number): boolean {
  return gpa >= CLINT_BASE && gpa < CLINT_BASE + CLINT_SIZE;
}

/** The CLINT register at guest-physical `gpa`. */
export function decodeClint(gpa: number): ClintReg {
  return isClint(gpa) ? clintRegister(gpa - CLINT_BASE) : { reg: 'none' };
}
