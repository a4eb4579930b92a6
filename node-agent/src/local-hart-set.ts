/**
 * Which harts run on this node now, in shared memory every thread of the
 * node reads (the vCPU workers serve those harts' CLINT registers and SBI
 * requests themselves, and forward the others'). A migrated hart leaves
 * and joins this set at run time (hart-image.ts).
 */
import { MAX_HARTS } from './node-layout.js';

/** What the CLINT and the SBI ask of the set. */
export interface HartSet {
  has(hart: number): boolean;
}

/** A fixed list (tests, one-node runs) or the live set. */
export const hartSetOf = (harts: HartSet | readonly number[]): HartSet => ('has' in harts ? harts : new Set(harts));

export class LocalHartSet implements HartSet {
  private readonly flags: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.flags = new Int32Array(buffer);
  }

  static create(harts: readonly number[]): LocalHartSet {
    const set = new LocalHartSet(new SharedArrayBuffer(MAX_HARTS * 4));
    for (const h of harts) set.add(h);
    return set;
  }

  has(hart: number): boolean {
    return hart >= 0 && hart < MAX_HARTS && Atomics.load(this.flags, hart) === 1;
  }

  add(hart: number): void {
    Atomics.store(this.flags, hart, 1);
  }

  delete(hart: number): void {
    Atomics.store(this.flags, hart, 0);
  }

  /** The harts here, in id order. */
  ids(): number[] {
    const out: number[] = [];
    for (let h = 0; h < MAX_HARTS; h++) if (Atomics.load(this.flags, h) === 1) out.push(h);
    return out;
  }
}
