/**
 * A node's swap: the SwapFile (real I/O) behind the SwapDevice model (extra
 * latency), one slot per DSM unit, with the counters the run reports.
 *
 * @example
 *   const swap = await UnitSwap.open({ dir, name: 'node0', unitBytes: 4096, device: 'hdd' });
 *   const slot = await swap.write(bytes);
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SwapDevice, type SwapDeviceName } from './swap-device.js';
import { SwapFile } from './swap-file.js';

export interface UnitSwapOptions {
  dir: string;
  name: string;
  unitBytes: number;
  device: SwapDeviceName;
  /** Bytes the swap file may grow to. */
  maxBytes: number;
  direct?: boolean;
}

/** The swap file and its device model as a node reports them (protos/stats.proto). */
export type { SwapStats } from '@unum/protos/stats';
import type { SwapStats } from '@unum/protos/stats';

export class UnitSwap {
  private constructor(readonly file: SwapFile, readonly device: SwapDevice) {}

  static async open(o: UnitSwapOptions): Promise<UnitSwap> {
    await mkdir(o.dir, { recursive: true });
    const file = await SwapFile.open(join(o.dir, `${o.name}-${process.pid}.swap`), {
      slotBytes: o.unitBytes, direct: o.direct ?? true, maxSlots: Math.floor(o.maxBytes / o.unitBytes),
    });
    return new UnitSwap(file, SwapDevice.create(o.device));
  }

  /** A fresh slot holding what `fill` writes into the staging buffer. */
  async write(fill: (buf: Uint8Array) => void): Promise<number> {
    const slot = this.file.allocSlot();
    try {
      await this.device.access(slot, () => this.file.writeWith(slot, fill));
    } catch (e) {
      this.file.free(slot);
      throw e;
    }
    return slot;
  }

  read(slot: number): Promise<Uint8Array> {
    return this.device.access(slot, () => this.file.read(slot));
  }

  /** Read a slot; `use` gets the staging buffer (copy what you keep). */
  readWith(slot: number, use: (buf: Uint8Array) => void): Promise<void> {
    return this.device.access(slot, () => this.file.readWith(slot, use));
  }

  free(slot: number): void {
    this.file.free(slot);
  }

  stats(): SwapStats {
    const s = this.file.stats;
    return {
      device: this.device.name, direct: this.file.direct, fallback: this.file.fallbackReason ?? '', path: this.file.path,
      swapOuts: s.writes, swapIns: s.reads, bytesWritten: s.bytesWritten, bytesRead: s.bytesRead,
      slotsUsed: s.slotsUsed, slotsHigh: s.slotsHigh, modelAddedMs: this.device.addedNs / 1e6,
    };
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
