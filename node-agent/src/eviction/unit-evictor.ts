/**
 * Keeps a node within its frame cap. Before a fault is handed to the DSM it
 * makes room (a reserve of free frames, refilled in the background after the
 * store takes frames) and brings a swapped-out unit back. Victims come from
 * the CLOCK; each is evicted inside the DSM's queue for its unit, so it is
 * atomic with every coherence event on it:
 *   - frames of a unit this node holds no rights to (an old, invalidated
 *     copy): freed;
 *   - a clean read copy: dropped (rights none after the handshake), frames freed;
 *   - a unit this node owns: pushed to a peer that reserves room for it
 *     (ownership push, see docs/dsm.md), else written to the swap file.
 * A unit with a fault, an invalidation round or deferred requests in progress
 * is skipped this turn.
 *
 * @example
 *   const evictor = new UnitEvictor({ pool, store, victims, dsm, reserveFrames: 64 });
 *   await evictor.beforeFault(unit); await dsm.fault(unit, 'write');
 */
import type { DsmNode } from '@unum/dsm';
import type { FramePool } from '../frame-pool.js';
import { PAGE_SIZE } from '@unum/machine';
import type { SecondChance } from './second-chance.js';
import type { EvictingPageStore } from './evicting-store.js';

export interface EvictorOptions {
  pool: FramePool;
  store: EvictingPageStore;
  victims: SecondChance;
  dsm: Pick<DsmNode, 'withUnit'>;
  /** Free frames kept in hand for installs nobody faulted on (grants, pushed copies, remote reads of lazy units). */
  reserveFrames: number;
  /** Frames promised to peers' ownership pushes still on their way (kept free too). */
  promised?: () => number;
}

/** A node's frame cap and what eviction did (protos/stats.proto, less pushesIn: NodeMemory counts those). */
export type EvictionStats = Omit<import('@unum/protos/stats').EvictionStats, 'pushesIn'>;

export class UnitEvictor {
  private running: Promise<void> | undefined;
  private readonly pagesPerUnit: number;
  private readonly s = { evictions: 0, copiesDropped: 0, staleFreed: 0, pushes: 0, stuck: 0 };

  constructor(private readonly o: EvictorOptions) {
    this.pagesPerUnit = o.store.unitBytes / PAGE_SIZE;
  }

  /** The store took frames: refill the reserve in the background. */
  kick(): void {
    if (!this.running && this.o.pool.freeFrames < this.reserve()) void this.ensureFree(0).catch(() => undefined);
  }

  /** Before the DSM handles a local fault on `unit`. */
  async beforeFault(unit: number): Promise<void> {
    const { victims, store, dsm } = this.o;
    victims.touch(unit);
    if (victims.has(unit)) return;
    if (this.o.pool.freeFrames < this.pagesPerUnit + this.reserve()) await this.ensureFree(this.pagesPerUnit);
    if (store.isSwapped(unit) || !victims.has(unit)) {
      await dsm.withUnit(unit, () => store.swapIn(unit)); // also waits out a swap-out of this unit in progress
    }
  }

  /** Evict until `frames` + the reserve are free (or nothing more can go). */
  async ensureFree(frames: number): Promise<void> {
    const target = frames + this.reserve();
    for (let round = 0; round < 4 && this.o.pool.freeFrames < target; round++) {
      this.running ??= this.sweep(target).finally(() => { this.running = undefined; });
      await this.running;
    }
  }

  /** Frames to keep free: the reserve plus what peers' pushes will take. */
  reserve(): number {
    return this.o.reserveFrames + (this.o.promised?.() ?? 0);
  }

  stats(): EvictionStats {
    const { pool, store } = this.o;
    return {
      frames: pool.capacity, framesUsed: pool.used, ...this.s,
      swapOuts: store.swapOuts, swapIns: store.swapIns, swapReads: store.swapReads, swappedUnits: store.swappedUnits,
    };
  }

  private async sweep(target: number): Promise<void> {
    let misses = 0;
    while (this.o.pool.freeFrames < target) {
      const unit = this.o.victims.victim();
      if (unit < 0 || misses > this.o.victims.size + 1) {
        this.s.stuck++;
        return;
      }
      if (await this.evict(unit)) misses = 0;
      else misses++;
    }
  }

  private evict(unit: number): Promise<boolean> {
    const { store, victims } = this.o;
    return this.o.dsm.withUnit(unit, async (s, dropCopy, pushAway) => {
      if (!store.hasFrames(unit)) {
        victims.remove(unit);
        return false;
      }
      if (s.busy) return false;
      if (s.owner) {
        if (s.lazy) return false;
        if (await pushAway()) {
          this.s.pushes++;
        } else if (!(await store.swapOut(unit, s.rights))) {
          return false;
        }
      } else if (s.rights === 'read') {
        await dropCopy();
        store.release(unit);
        this.s.copiesDropped++;
      } else if (s.rights === 'none') {
        store.release(unit); // revoked when it was invalidated
        this.s.staleFreed++;
      } else {
        return false;
      }
      this.s.evictions++;
      return true;
    });
  }
}
