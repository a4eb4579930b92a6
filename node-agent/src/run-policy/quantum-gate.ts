/**
 * QuantumGate: how the main thread runs harts in lockstep (deterministic
 * mode). The main thread grants a hart a quantum (a budget of instructions)
 * and waits; the hart runs until the budget is spent, it stops on a page the
 * node does not hold (recorded here, not forwarded), WFI, or halts, and
 * reports how the quantum ended. Page faults are then resolved between
 * quanta, in an order the coordinator fixes, so the run does not depend on
 * thread timing. One SharedArrayBuffer per node, one slot per hart id.
 */
import { waitAsync } from '../request-queue.js';

export enum QuantumEnd { Spent = 0, Fault = 1, Idle = 2, Halted = 3 }

const SLOT_WORDS = 10;
const GRANT = 0; // generation of the last grant
const DONE = 1; // generation the hart has finished
const BUDGET = 2;
const END = 3;
const FAULT_LO = 4;
const FAULT_HI = 5;
const FAULT_ACCESS = 6;
const LEFT = 7; // instructions of the budget not run
const VT_LO = 8; // guest mtime (ticks) at the grant's first instruction
const VT_HI = 9;

export interface GateFault { gpa: number; access: number }

export class QuantumGate {
  readonly words: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  static create(harts: number): QuantumGate {
    return new QuantumGate(new SharedArrayBuffer(harts * SLOT_WORDS * 4));
  }

  private at(hart: number, word: number): number {
    return hart * SLOT_WORDS + word;
  }

  // ---- main thread --------------------------------------------------------

  /** Grant `hart` a quantum starting at guest time `mtime` (ticks) and wait (without blocking the event loop) until it ends. */
  async run(hart: number, budget: number, mtime = 0n): Promise<QuantumEnd> {
    const w = this.words;
    const gen = (Atomics.load(w, this.at(hart, GRANT)) + 1) | 0;
    Atomics.store(w, this.at(hart, BUDGET), budget);
    Atomics.store(w, this.at(hart, VT_LO), Number(mtime & 0xffff_ffffn) | 0);
    Atomics.store(w, this.at(hart, VT_HI), Number(mtime >> 32n) | 0);
    Atomics.store(w, this.at(hart, GRANT), gen);
    Atomics.notify(w, this.at(hart, GRANT));
    for (;;) {
      const done = Atomics.load(w, this.at(hart, DONE));
      if (done === gen) return Atomics.load(w, this.at(hart, END));
      const waited = waitAsync(w, this.at(hart, DONE), done, 1000);
      if (waited.async) await waited.value;
    }
  }

  /** Guest mtime (ticks) at the start of `hart`'s current grant. */
  mtime(hart: number): bigint {
    const w = this.words;
    return (BigInt(Atomics.load(w, this.at(hart, VT_HI)) >>> 0) << 32n) | BigInt(Atomics.load(w, this.at(hart, VT_LO)) >>> 0);
  }

  /** Instructions of the last grant's budget `hart` did not run. */
  left(hart: number): number {
    return Atomics.load(this.words, this.at(hart, LEFT));
  }

  /** The page `hart` stopped on (valid after a Fault end). */
  fault(hart: number): GateFault {
    const w = this.words;
    return { gpa: (w[this.at(hart, FAULT_LO)]! >>> 0) + (w[this.at(hart, FAULT_HI)]! >>> 0) * 2 ** 32, access: w[this.at(hart, FAULT_ACCESS)]! };
  }

  /** Wake a hart waiting for a grant so it sees a control change (pause/stop). */
  wake(hart: number): void {
    Atomics.notify(this.words, this.at(hart, GRANT));
  }

  // ---- worker -------------------------------------------------------------

  /** Block until a grant newer than `seen` (its generation and budget), or undefined on timeout / wake. */
  waitGrant(hart: number, seen: number, timeoutMs: number): { gen: number; budget: number } | undefined {
    const w = this.words;
    if (Atomics.load(w, this.at(hart, GRANT)) === seen) Atomics.wait(w, this.at(hart, GRANT), seen, timeoutMs);
    const gen = Atomics.load(w, this.at(hart, GRANT));
    return gen === seen ? undefined : { gen, budget: Atomics.load(w, this.at(hart, BUDGET)) };
  }

  /** The generation this hart last finished (a fresh worker starts from it). */
  finished(hart: number): number {
    return Atomics.load(this.words, this.at(hart, DONE));
  }

  recordFault(hart: number, gpa: number, access: number): void {
    const w = this.words;
    w[this.at(hart, FAULT_LO)] = gpa | 0;
    w[this.at(hart, FAULT_HI)] = Math.floor(gpa / 2 ** 32);
    w[this.at(hart, FAULT_ACCESS)] = access;
  }

  /** The hart is leaving (stop): end any grant still outstanding, so the main thread does not wait forever. */
  abandon(hart: number): void {
    this.finish(hart, Atomics.load(this.words, this.at(hart, GRANT)), QuantumEnd.Halted, 0);
  }

  finish(hart: number, gen: number, end: QuantumEnd, left: number): void {
    const w = this.words;
    Atomics.store(w, this.at(hart, LEFT), left);
    Atomics.store(w, this.at(hart, END), end);
    Atomics.store(w, this.at(hart, DONE), gen);
    Atomics.notify(w, this.at(hart, DONE));
  }
}
