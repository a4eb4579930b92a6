import { describe, expect, it } from 'vitest';
import * as map from './memory-map.js';

describe('memory map', () => {
  it('is QEMU virt 7.2', () => {
    expect([map.FINISHER_BASE, map.RTC_BASE, map.CLINT_BASE, map.PLIC_BASE, map.UART_BASE, map.VIRTIO_BASE, map.RAM_BASE])
      .toEqual([0x100000, 0x101000, 0x2000000, 0xc000000, 0x10000000, 0x10001000, 0x80000000]);
    expect(map.UART_IRQ).toBe(10);
    expect(map.TIMEBASE_HZ).toBe(10_000_000);
  });

  it('numbers the virtio-mmio slots from IRQ 1, right after UART0', () => {
    expect(map.virtioSlot(0)).toEqual({ base: 0x1000_1000, size: 0x1000, irq: 1 });
    expect(map.virtioSlot(7)).toEqual({ base: 0x1000_8000, size: 0x1000, irq: 8 });
    expect(() => map.virtioSlot(8)).toThrow(RangeError);
    expect(map.UART_BASE + map.UART_SIZE).toBeLessThanOrEqual(map.VIRTIO_BASE);
  });
});
