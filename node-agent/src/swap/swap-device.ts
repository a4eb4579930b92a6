/**
 * Swap device model: latency added on top of the real swap-file I/O, so a
 * run can emulate a slower device than the local disk. One request at a time
 * (a single queue, like one disk head), in submission order.
 *
 * | model | read   | write  | notes |
 * |-------|--------|--------|-------|
 * | real  | +0     | +0     | the local disk as it is (reference.md: O_DIRECT 4 KiB read p50 78 µs) |
 * | nvme  | +20 µs | +20 µs | low end of the NVMe 4 KiB anchor (20–100 µs) |
 * | ssd   | +100 µs| +100 µs| SATA SSD class |
 * | hdd   | +5 ms  | +5 ms  | seek + rotation per random access (anchor 2–10 ms); +0.1 ms when the slot follows the previous one (sequential) |
 *
 * @example
 *   const dev = SwapDevice.create('hdd');
 *   await dev.access(slot, () => file.read(slot)); // real I/O, then the model's latency
 */
import { preciseDelay } from '@unum/dsm';

export const SWAP_DEVICES = ['real', 'nvme', 'ssd', 'hdd'] as const;
export type SwapDeviceName = (typeof SWAP_DEVICES)[number];

interface Latency { randomNs: number; sequentialNs: number }

const MODELS: Record<SwapDeviceName, Latency> = {
  real: { randomNs: 0, sequentialNs: 0 },
  nvme: { randomNs: 20_000, sequentialNs: 20_000 },
  ssd: { randomNs: 100_000, sequentialNs: 100_000 },
  hdd: { randomNs: 5_000_000, sequentialNs: 100_000 },
};

export function isSwapDevice(name: string): name is SwapDeviceName {
  return (SWAP_DEVICES as readonly string[]).includes(name);
}

export class SwapDevice {
  private tail: Promise<unknown> = Promise.resolve();
  private lastSlot = -2;
  /** Model latency added so far (ns). */
  addedNs = 0;

  private constructor(readonly name: SwapDeviceName, private readonly latency: Latency) {}

  static create(name: SwapDeviceName): SwapDevice {
    return new SwapDevice(name, MODELS[name]);
  }

  /** The model's extra latency for an access to `slot` after the previous one. */
  latencyNs(slot: number): number {
    return slot === this.lastSlot + 1 ? this.latency.sequentialNs : this.latency.randomNs;
  }

  /** Run `io` (the real access) in device order, then wait the model's latency for it. */
  access<T>(slot: number, io: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const extra = this.latencyNs(slot);
      this.lastSlot = slot;
      const out = await io();
      if (extra > 0) {
        this.addedNs += extra;
        await preciseDelay(extra);
      }
      return out;
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
