/**
 * VirtioSlots: the virtio-mmio transports of one VM, on its device node.
 * Built from the board's virtio slots and the VM's devices in command-line
 * order; as on QEMU virt, the first device takes the highest slot
 * (0x10008000, IRQ 8), which is the first virtio node in the device tree,
 * so the first `--drive` is /dev/vda. Slots without a device answer
 * DeviceID 0. Accesses are offsets into the windows, synchronous.
 *
 * @example
 *   const slots = new VirtioSlots(virtBoard(), [new VirtioBlk(image)], { dma, irqLine: (src, on) => plic.setLevel(src, on) });
 *   slots.read(0x1000_8008, 4); // 2n: a block device
 */
import type { Board } from '../../board/board.js';
import type { GuestDma } from './guest-dma.js';
import { VirtioMmioTransport } from './mmio-transport.js';
import type { VirtioDevice } from './virtio-device.js';

export interface SlotsContext {
  dma: GuestDma;
  /** Level of PLIC source `source`. */
  irqLine(source: number, level: boolean): void;
  onError?(device: string, error: unknown): void;
}

interface Slot {
  base: number;
  size: number;
  transport: VirtioMmioTransport;
}

export class VirtioSlots {
  private readonly slots: Slot[];

  constructor(board: Board, devices: readonly VirtioDevice[], ctx: SlotsContext) {
    const windows = board.placements.filter((p) => p.device.onDeviceNode).sort((a, b) => b.base - a.base);
    if (devices.length > windows.length) throw new RangeError(`${devices.length} virtio devices, but the board has ${windows.length} slots`);
    this.slots = windows.map((w, i) => ({
      base: w.base, size: w.size,
      transport: new VirtioMmioTransport({ dma: ctx.dma, irq: (level) => ctx.irqLine(w.irq!, level), onError: ctx.onError }, devices[i]),
    }));
  }

  /** The transport whose window holds `gpa`. */
  find(gpa: number): VirtioMmioTransport | undefined {
    return this.slot(gpa)?.transport;
  }

  private slot(gpa: number): Slot | undefined {
    return this.slots.find((s) => gpa >= s.base && gpa < s.base + s.size);
  }

  read(gpa: number, size: number): bigint {
    const s = this.slot(gpa);
    return s ? s.transport.read(gpa - s.base, size) : 0n;
  }

  write(gpa: number, size: number, value: bigint): void {
    const s = this.slot(gpa);
    s?.transport.write(gpa - s.base, size, value);
  }

  /** Descriptor chains the devices have completed. */
  requests(): number {
    return this.slots.reduce((n, s) => n + s.transport.completed, 0);
  }

  /** Release the devices' host resources (image files). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.transport.device?.close?.()));
  }
}
