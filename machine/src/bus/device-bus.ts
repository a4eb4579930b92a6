/**
 * DeviceBus: the coordinator's MMIO bus, derived from a board. Builds the
 * model of every placed device for one VM, wires their IRQ lines to the
 * board's interrupt controller (UART → PLIC → hart pins), and routes
 * accesses by address: a device sees only the offset into its window.
 * It is the `MmioBus` a NodeAgent forwards device accesses to.
 */
import { virtBoard } from '../board/virt-board.js';
import type { Board } from '../board/board.js';
import type { DeviceContext, InterruptController, MmioDevice } from '../devices/device.js';
import { NoDevice, type MmioBus, type MmioWindow } from './mmio-bus.js';

export type BusContext = Omit<DeviceContext, 'irqLine'>;

interface Slot {
  base: number;
  size: number;
  device: MmioDevice;
}

export class DeviceBus implements MmioBus {
  /** The models on the bus, by address. */
  readonly devices: MmioDevice[];
  /** Accesses that hit no device. */
  unmapped = 0;
  private readonly slots: Slot[];
  private controller: InterruptController | undefined;

  constructor(ctx: BusContext, board: Board = virtBoard()) {
    const full: DeviceContext = { ...ctx, irqLine: (src, level) => this.irqLine(src, level) };
    this.slots = [];
    for (const p of board.placements) {
      if (!p.device.create) continue; // served elsewhere (the CLINT)
      const device = p.device.create(full, { base: p.base, size: p.size, irq: p.irq });
      if (p.device.role === 'interrupt-controller') this.controller = device as InterruptController;
      this.slots.push({ base: p.base, size: p.size, device });
    }
    this.slots.sort((a, b) => a.base - b.base);
    this.devices = this.slots.map((s) => s.device);
  }

  /** Level of an interrupt source wired to the board's controller: this bus's devices, or a device elsewhere (the device node's virtio). */
  irqLine(source: number, level: boolean): void {
    this.controller?.setLevel(source, level);
  }

  find(gpa: number): MmioDevice | undefined {
    return this.slot(gpa)?.device;
  }

  private slot(gpa: number): Slot | undefined {
    return this.slots.find((s) => gpa >= s.base && gpa < s.base + s.size);
  }

  /** MmioBus: rejects with NoDevice where nothing is mapped (the hart faults). */
  async read(gpa: number, size: number): Promise<bigint> {
    const s = this.mapped(gpa);
    return s.device.read(gpa - s.base, size);
  }

  async write(gpa: number, size: number, value: bigint): Promise<void> {
    const s = this.mapped(gpa);
    s.device.write(gpa - s.base, size, value);
  }

  private mapped(gpa: number): Slot {
    const s = this.slot(gpa);
    if (s) return s;
    this.unmapped++;
    throw new NoDevice(gpa);
  }

  /** Synchronous access for callers that cannot fault the hart: unmapped reads 0, writes are dropped. */
  readSync(gpa: number, size: number): bigint {
    const s = this.slot(gpa);
    if (!s) {
      this.unmapped++;
      return 0n;
    }
    return s.device.read(gpa - s.base, size);
  }

  writeSync(gpa: number, size: number, value: bigint): void {
    const s = this.slot(gpa);
    if (!s) {
      this.unmapped++;
      return;
    }
    s.device.write(gpa - s.base, size, value);
  }
}
