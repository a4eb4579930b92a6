/**
 * HSM state of the node's harts, in a SharedArrayBuffer every thread of the
 * node sees (the vCPU workers and the main thread). Per hart: the state
 * word (HSM_* values; zero-filled = every hart started, the bare-metal
 * default), and the start address and opaque of a pending hart_start.
 *
 * A start claims the hart with a compare-exchange STOPPED → CLAIMED, writes
 * the address and opaque, then publishes START_PENDING and notifies; the
 * hart's worker, parked on the word, enters S-mode and stores STARTED.
 */
import { HSM_START_PENDING, HSM_STOPPED } from './sbi-abi.js';

const HARTS = 64;
const WORDS_PER_HART = 8; // i32 view: state at 0; i64 view: addr at 1, opaque at 2
/** Internal: a starter owns the slot and is writing addr/opaque (reads as START_PENDING). */
const CLAIMED = 0x100;

export class HsmTable {
  readonly i32: Int32Array;
  private readonly i64: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.i32 = new Int32Array(buffer);
    this.i64 = new BigInt64Array(buffer);
  }

  static create(): HsmTable {
    return new HsmTable(new SharedArrayBuffer(HARTS * WORDS_PER_HART * 4));
  }

  private at(hart: number): number {
    return hart * WORDS_PER_HART;
  }

  /** The HSM state hart_get_status reports. */
  state(hart: number): number {
    const s = Atomics.load(this.i32, this.at(hart));
    return s === CLAIMED ? HSM_START_PENDING : s;
  }

  set(hart: number, state: number): void {
    Atomics.store(this.i32, this.at(hart), state);
    Atomics.notify(this.i32, this.at(hart));
  }

  /** Claim a stopped hart for a start. Returns the state it had (HSM_STOPPED = claimed). */
  requestStart(hart: number, addr: bigint, opaque: bigint): number {
    const prev = Atomics.compareExchange(this.i32, this.at(hart), HSM_STOPPED, CLAIMED);
    if (prev !== HSM_STOPPED) return prev === CLAIMED ? HSM_START_PENDING : prev;
    const w = this.at(hart) / 2; // i64 index of the state's pair
    Atomics.store(this.i64, w + 1, BigInt.asIntN(64, addr));
    Atomics.store(this.i64, w + 2, BigInt.asIntN(64, opaque));
    this.set(hart, HSM_START_PENDING);
    return HSM_STOPPED;
  }

  /** The published start's address and opaque, or undefined if none is pending (or it is still being written). */
  pendingStart(hart: number): { addr: bigint; opaque: bigint } | undefined {
    if (Atomics.load(this.i32, this.at(hart)) !== HSM_START_PENDING) return undefined;
    const w = this.at(hart) / 2;
    return { addr: BigInt.asUintN(64, Atomics.load(this.i64, w + 1)), opaque: BigInt.asUintN(64, Atomics.load(this.i64, w + 2)) };
  }

  /** True while the hart must not run guest code (stopped, or a start not taken yet). */
  parked(hart: number): boolean {
    const s = Atomics.load(this.i32, this.at(hart));
    return s === HSM_STOPPED || s === CLAIMED || s === HSM_START_PENDING;
  }

  /** Sleep while the hart's state is `state` (or until timeout / a wake). */
  wait(hart: number, state: number, timeoutMs: number): void {
    Atomics.wait(this.i32, this.at(hart), state, timeoutMs);
  }

  /** Wake a worker parked on its state word (control changes). */
  wake(hart: number): void {
    Atomics.notify(this.i32, this.at(hart));
  }

}
