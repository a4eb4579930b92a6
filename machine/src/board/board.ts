/**
 * A board: the list of device placements. The MMIO bus (`DeviceBus`) and
 * the device tree (`buildVirtFdt`) are both derived from it, so they cannot
 * disagree about where a device is.
 *
 * @example
 *   const board = virtBoard().with({ device: rtc, base: RTC_BASE, size: RTC_SIZE, irq: RTC_IRQ });
 *   const bus = new DeviceBus(ctx, board);              // the RTC answers at RTC_BASE + offset
 *   const dtb = virtFdtBlob({ harts, ram, bootargs, board }); // and /soc/rtc@101000 describes it
 */
import type { DeviceKind, Window } from '../devices/device.js';

/** One line of a board: which device, where, and (if it raises one) its PLIC source. */
export interface Placement extends Window {
  device: DeviceKind;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export class Board {
  readonly placements: readonly Placement[];

  /** Placements in device-tree order (the bus sorts by address itself). Rejects overlapping windows. */
  constructor(placements: readonly Placement[]) {
    const sorted = [...placements].sort((a, b) => a.base - b.base);
    for (const p of sorted) {
      if (!Number.isSafeInteger(p.base) || !Number.isSafeInteger(p.size) || p.base < 0 || p.size <= 0) {
        throw new RangeError(`${p.device.name}: bad window ${hex(p.base)} + ${hex(p.size)}`);
      }
    }
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      if (b.base < a.base + a.size) throw new RangeError(`${b.device.name} at ${hex(b.base)} overlaps ${a.device.name} at ${hex(a.base)}`);
    }
    const controllers = placements.filter((p) => p.device.role === 'interrupt-controller');
    if (controllers.length > 1) throw new RangeError('a board has at most one interrupt controller');
    this.placements = Object.freeze([...placements]);
  }

  /** A copy of this board with one more device. */
  with(placement: Placement): Board {
    return new Board([...this.placements, placement]);
  }

  /** The placement of a device kind (the first, if placed twice). */
  find(device: DeviceKind): Placement | undefined {
    return this.placements.find((p) => p.device === device);
  }

  /** The placement of a device kind that must be there. */
  get(device: DeviceKind): Placement {
    const p = this.find(device);
    if (!p) throw new RangeError(`no ${device.name} on this board`);
    return p;
  }

  /** Windows of the devices whose writes harts may post (NodeAgentConfig.postedWrites). */
  postedWindows(): Window[] {
    return this.placements.filter((p) => p.device.postWrites).map((p) => ({ base: p.base, size: p.size }));
  }

  /** Windows served on the VM's device node (DeviceKind.onDeviceNode: the virtio-mmio slots). */
  deviceNodeWindows(): Window[] {
    return this.placements.filter((p) => p.device.onDeviceNode).map((p) => ({ base: p.base, size: p.size, irq: p.irq }));
  }

  /** The placement whose window holds `gpa`. */
  at(gpa: number): Placement | undefined {
    return this.placements.find((p) => gpa >= p.base && gpa < p.base + p.size);
  }
}
