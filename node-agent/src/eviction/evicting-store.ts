/**
 * The DSM's PageStore for a node with a memory cap: the FramePoolPageStore
 * for units that hold frames here, plus units this node owns whose bytes sit
 * in its swap file (the DSM still owns them, with the rights it last set).
 * It tells the CLOCK which units hold frames, and marks a unit referenced
 * whenever the DSM installs it. A remote request for a swapped unit is read
 * straight from the swap file; a unit whose ownership leaves (rights none)
 * gives its slot back after that read, and a resident one its frames.
 *
 * @example
 *   const store = new EvictingPageStore(pool, inner, victims, swap, () => evictor.kick());
 *   await store.swapOut(unit, 'write');   // inside dsm.withUnit
 */
import type { PageStore, Rights } from '@unum/dsm';
import type { FramePool } from '../frame-pool.js';
import type { FramePoolPageStore } from '../cluster/dsm-page-store.js';
import { PAGE_SIZE, RAM_BASE } from '@unum/machine';
import { frameOf, rightsOf } from '../page-entry.js';
import type { SecondChance } from './second-chance.js';
import type { UnitSwap } from '../swap/unit-swap.js';

interface Swapped { slot: number; rights: Rights }

export class EvictingPageStore implements PageStore {
  private readonly swapped = new Map<number, Swapped>();
  private readonly pagesPerUnit: number;
  swapOuts = 0;
  swapIns = 0;
  /** Remote requests served from the swap file. */
  swapReads = 0;

  constructor(
    private readonly pool: FramePool,
    private readonly inner: FramePoolPageStore,
    private readonly victims: SecondChance,
    private readonly swap: UnitSwap | undefined,
    /** Called after the store took frames (the evictor refills its reserve). */
    private readonly allocated: () => void,
  ) {
    this.pagesPerUnit = inner.unitBytes / PAGE_SIZE;
  }

  get unitBytes(): number {
    return this.inner.unitBytes;
  }

  get swappedUnits(): number {
    return this.swapped.size;
  }

  isSwapped(unit: number): boolean {
    return this.swapped.has(unit);
  }

  hasFrames(unit: number): boolean {
    return frameOf(this.pool.entry(this.gpa(unit, 0))) >= 0;
  }

  read(unit: number): Uint8Array | Promise<Uint8Array> {
    const s = this.swapped.get(unit);
    if (s) return this.readSwapped(unit, s);
    const leaving = this.hasFrames(unit) && rightsOf(this.pool.entry(this.gpa(unit, 0))) === 'none';
    const data = this.inner.read(unit);
    // The DSM reads a unit with no rights left only when its ownership leaves (grant, push): free the frames now.
    if (leaving) this.release(unit);
    else this.afterInner(unit, undefined);
    return data;
  }

  write(unit: number, data: Uint8Array): void {
    this.forget(unit);
    this.inner.write(unit, data);
    this.afterInner(unit, undefined);
  }

  zero(unit: number): void {
    this.forget(unit);
    this.inner.zero(unit);
    this.afterInner(unit, undefined);
  }

  async setRights(unit: number, rights: Rights): Promise<void> {
    const s = this.swapped.get(unit);
    if (s) {
      s.rights = rights; // nothing mapped: applied when the unit comes back
      return;
    }
    await this.inner.setRights(unit, rights);
    this.afterInner(unit, undefined);
  }

  /** Owned unit → swap file: revoke (handshake), write its bytes, free its frames. Call inside dsm.withUnit. */
  async swapOut(unit: number, rights: Rights): Promise<boolean> {
    if (!this.swap || !this.hasFrames(unit)) return false;
    this.victims.remove(unit); // faults on it now queue behind this eviction (see UnitEvictor.beforeFault)
    await this.inner.setRights(unit, 'none');
    const slot = await this.swap.write((buf) => this.copyOut(unit, buf)); // no allocation per page: the heap stays flat
    this.release(unit);
    this.swapped.set(unit, { slot, rights });
    this.swapOuts++;
    return true;
  }

  /** Swapped unit → frames with the rights the DSM gave it. Call inside dsm.withUnit, with frames free. */
  async swapIn(unit: number): Promise<void> {
    const s = this.swapped.get(unit);
    if (!s || !this.swap) return;
    await this.swap.readWith(s.slot, (buf) => this.inner.write(unit, buf));
    this.swapped.delete(unit);
    this.swap.free(s.slot);
    await this.inner.setRights(unit, s.rights);
    this.afterInner(unit, undefined);
    this.swapIns++;
  }

  /** Unmap and free the unit's frames. Its entries must already have no rights (handshake done). */
  release(unit: number): void {
    this.victims.remove(unit);
    for (let i = 0; i < this.pagesPerUnit; i++) {
      const frame = this.pool.unmap(this.gpa(unit, i));
      if (frame >= 0) this.pool.free(frame);
    }
  }

  private copyOut(unit: number, buf: Uint8Array): void {
    for (let i = 0; i < this.pagesPerUnit; i++) {
      buf.set(this.pool.frameBytes(frameOf(this.pool.entry(this.gpa(unit, i)))), i * PAGE_SIZE);
    }
  }

  private async readSwapped(unit: number, s: Swapped): Promise<Uint8Array> {
    const data = await this.swap!.read(s.slot);
    this.swapReads++;
    if (s.rights === 'none' && this.swapped.get(unit) === s) {
      // Ownership is leaving (a grant reads after revoking to none): nobody here needs the bytes again.
      this.swapped.delete(unit);
      this.swap!.free(s.slot);
    }
    return data;
  }

  /** New bytes for the unit replace whatever the swap file held. */
  private forget(unit: number): void {
    const s = this.swapped.get(unit);
    if (!s) return;
    this.swapped.delete(unit);
    this.swap?.free(s.slot);
  }

  private afterInner<T>(unit: number, out: T): T {
    if (this.hasFrames(unit)) {
      this.victims.add(unit);
      this.allocated();
    }
    return out;
  }

  private gpa(unit: number, i: number): number {
    return RAM_BASE + unit * this.inner.unitBytes + i * PAGE_SIZE;
  }
}
