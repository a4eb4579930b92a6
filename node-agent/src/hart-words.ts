/**
 * Host-side view of the words a hart shares with the host (interrupt pins,
 * mtimecmp, kick/stop), usable from any thread of the node. Slot = the
 * hart's place in this node's hart-state array (= hart id on one node).
 */
import { HART_BASE, HART_STRIDE, H_HOST_IRQ, H_INSTRET, H_KICK, H_MTIMECMP, H_STOP } from './node-layout.js';

export class HartWords {
  private readonly i32: Int32Array;
  private readonly i64: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.i32 = new Int32Array(buffer);
    this.i64 = new BigInt64Array(buffer);
  }

  private w32(slot: number, off: number): number {
    return (HART_BASE + slot * HART_STRIDE + off) >> 2;
  }

  private w64(slot: number, off: number): number {
    return (HART_BASE + slot * HART_STRIDE + off) >> 3;
  }

  hostIrq(slot: number): number {
    return Atomics.load(this.i32, this.w32(slot, H_HOST_IRQ));
  }

  /** Raise or lower mip bits; wakes the hart if it sleeps in WFI. */
  setIrq(slot: number, bits: number, level: boolean): void {
    const i = this.w32(slot, H_HOST_IRQ);
    if (level) Atomics.or(this.i32, i, bits);
    else Atomics.and(this.i32, i, ~bits);
    Atomics.notify(this.i32, i);
  }

  /** Sleep until the hart's interrupt word changes from `seen` or timeout. */
  waitIrq(slot: number, seen: number, timeoutMs: number): void {
    Atomics.wait(this.i32, this.w32(slot, H_HOST_IRQ), seen, timeoutMs);
  }

  /** Wake a WFI sleeper without changing its pins (control changes). */
  wake(slot: number): void {
    Atomics.notify(this.i32, this.w32(slot, H_HOST_IRQ));
  }

  mtimecmp(slot: number): bigint {
    return BigInt.asUintN(64, Atomics.load(this.i64, this.w64(slot, H_MTIMECMP)));
  }

  setMtimecmp(slot: number, value: bigint): void {
    Atomics.store(this.i64, this.w64(slot, H_MTIMECMP), BigInt.asIntN(64, value));
    this.wake(slot); // a sleeping hart recomputes its deadline
  }

  instret(slot: number): bigint {
    return BigInt.asUintN(64, Atomics.load(this.i64, this.w64(slot, H_INSTRET)));
  }

  /** Make run() return at its next check (yield), so the worker sees control. */
  kick(slot: number): void {
    Atomics.store(this.i32, this.w32(slot, H_KICK), 1);
    this.wake(slot);
  }

  requestStop(slot: number): void {
    Atomics.store(this.i32, this.w32(slot, H_STOP), 1);
    this.kick(slot);
  }
}
