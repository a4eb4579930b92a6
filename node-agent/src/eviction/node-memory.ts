/**
 * A cluster node's capped memory: the CLOCK, the EvictingPageStore the DSM
 * uses, the UnitEvictor, and the swap file when the node has one. The frame
 * pool itself is already the cap (NodeAgent sizes node memory by frames).
 *
 * @example
 *   const memory = await NodeMemory.create(pool, frameStore, units, 'node0', { swapDir, swapDevice: 'hdd', swapBytes }, log);
 *   const dsm = new DsmNode({ ..., store: memory.store }); memory.attach(dsm);
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DsmNode, PushCapacity } from '@unum/dsm';
import type { Logger } from 'pino';
import type { FramePool } from '../frame-pool.js';
import type { FramePoolPageStore } from '../cluster/dsm-page-store.js';
import { PAGE_SIZE } from '@unum/machine';
import { UnitSwap, type SwapStats } from '../swap/unit-swap.js';
import type { SwapDeviceName } from '../swap/swap-device.js';
import { SecondChance } from './second-chance.js';
import { EvictingPageStore } from './evicting-store.js';
import { UnitEvictor, type EvictionStats } from './unit-evictor.js';

export interface NodeMemoryConfig {
  /** Bytes of swap this node may use (0: no swap file). */
  swapBytes: number;
  /** Directory for the swap file (default: the OS temp dir). */
  swapDir?: string;
  swapDevice?: SwapDeviceName;
  /** Ask for O_DIRECT (default true). */
  direct?: boolean;
}

/** Reserve of free frames: 64 frames or an eighth of the node, whichever is less, but at least two units. */
export function reserveFrames(capacity: number, pagesPerUnit: number): number {
  return Math.max(2 * pagesPerUnit, Math.min(64, Math.floor(capacity / 8)));
}

export class NodeMemory {
  private dsm: DsmNode | undefined;
  readonly evictor: UnitEvictor;

  /** Units peers may push here that have not arrived yet (their frames are kept free). */
  private promisedUnits = 0;
  private readonly pagesPerUnit: number;
  private pushesIn = 0;
  private constructor(readonly store: EvictingPageStore, readonly victims: SecondChance, readonly swap: UnitSwap | undefined,
    private readonly pool: FramePool) {
    const self = this;
    this.pagesPerUnit = store.unitBytes / PAGE_SIZE;
    this.evictor = new UnitEvictor({
      pool, store, victims,
      dsm: { withUnit: (unit, fn) => self.dsm!.withUnit(unit, fn) },
      reserveFrames: reserveFrames(pool.capacity, this.pagesPerUnit),
      promised: () => this.promisedUnits * this.pagesPerUnit,
    });
  }

  /**
   * Room for units peers push here (the DSM's `capacity` option): a unit is
   * accepted only if its frames are free now beyond the evictor's reserve and
   * earlier promises, so a push never has to evict to land.
   */
  readonly capacity: PushCapacity = {
    reserve: () => {
      if (this.spareFrames() < this.pagesPerUnit) return false;
      this.promisedUnits++;
      return true;
    },
    release: () => {
      this.promisedUnits = Math.max(0, this.promisedUnits - 1);
      this.pushesIn++;
    },
    spare: () => Math.max(0, Math.floor(this.spareFrames() / this.pagesPerUnit)),
  };

  private spareFrames(): number {
    return this.pool.freeFrames - this.evictor.reserve();
  }

  static async create(pool: FramePool, frames: FramePoolPageStore, units: number, name: string,
    cfg: NodeMemoryConfig | undefined, log: Logger): Promise<NodeMemory> {
    const victims = new SecondChance(units);
    let swap: UnitSwap | undefined;
    if (cfg && cfg.swapBytes > 0) {
      swap = await UnitSwap.open({
        dir: cfg.swapDir ?? join(tmpdir(), 'unum-swap'), name, unitBytes: frames.unitBytes,
        device: cfg.swapDevice ?? 'real', maxBytes: cfg.swapBytes, direct: cfg.direct,
      });
      const st = swap.stats();
      if (!st.direct) log.warn({ path: st.path, why: st.fallback }, 'swap file without O_DIRECT: the page cache may hide the disk');
      else log.info({ path: st.path, device: st.device }, 'swap file (O_DIRECT)');
    }
    let memory: NodeMemory | undefined;
    const store = new EvictingPageStore(pool, frames, victims, swap, () => memory?.evictor.kick());
    memory = new NodeMemory(store, victims, swap, pool);
    return memory;
  }

  attach(dsm: DsmNode): void {
    this.dsm = dsm;
  }

  report(): { memory: EvictionStats & { pushesIn: number }; swap?: SwapStats } {
    return { memory: { ...this.evictor.stats(), pushesIn: this.pushesIn }, ...(this.swap ? { swap: this.swap.stats() } : {}) };
  }

  async close(): Promise<void> {
    await this.swap?.close();
  }
}
