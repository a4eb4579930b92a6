/**
 * Which harts run on this node now, in shared memory every thread of the
 * node reads (the vCPU workers serve those harts' CLINT registers and SBI
 * requests themselves, and forward the others'). A migrated hart leaves
 * and joins this set at run time (hart-image.ts).
 *
 * A worker that finds a hart here and then writes its state (an IPI, msip,
 * a hart_start) does so between `enter()` and `exit()`; a leaving hart's
 * state is captured only once `quiet()` has seen no such writer, so a
 * write that found the hart here cannot land after the capture and be lost.
 */
import { MAX_HARTS } from './node-layout.js';

/** What the CLINT and the SBI ask of the set. */
export interface HartSet {
  has(hart: number): boolean;
  /** Around a check-then-write of a local hart's state (see LocalHartSet). */
  enter(): void;
  exit(): void;
}

/** A fixed list (tests, one-node runs: nobody leaves) or the live set. */
export function hartSetOf(harts: HartSet | readonly number[]): HartSet {
  if ('has' in harts) return harts;
  const fixed = new Set(harts);
  return { has: (h) => fixed.has(h), enter: () => undefined, exit: () => undefined };
}

/** Run a check-then-write of local harts' state so that a hart cannot migrate away in between (no set: nobody leaves). */
export function guarded<T>(set: HartSet | undefined, fn: () => T): T {
  if (!set) return fn();
  set.enter();
  try {
    return fn();
  } finally {
    set.exit();
  }
}

/** The word after the per-hart flags: workers between enter() and exit(). */
const BUSY = MAX_HARTS;

export class LocalHartSet implements HartSet {
  private readonly flags: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.flags = new Int32Array(buffer);
  }

  static create(harts: readonly number[]): LocalHartSet {
    const set = new LocalHartSet(new SharedArrayBuffer((MAX_HARTS + 1) * 4));
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

  /** A writer of local harts' state starts (check `has`, then write, then `exit`). */
  enter(): void {
    Atomics.add(this.flags, BUSY, 1);
  }

  exit(): void {
    Atomics.sub(this.flags, BUSY, 1);
  }

  /** Main thread, after `delete`: resolves once no writer that may have seen the hart here is left. */
  async quiet(): Promise<void> {
    while (Atomics.load(this.flags, BUSY) !== 0) await new Promise((r) => setImmediate(r));
  }

  /** The harts here, in id order. */
  ids(): number[] {
    const out: number[] = [];
    for (let h = 0; h < MAX_HARTS; h++) if (Atomics.load(this.flags, h) === 1) out.push(h);
    return out;
  }
}
