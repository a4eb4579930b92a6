/**
 * Host-side view of the words a hart shares with the host (interrupt pins,
 * mtimecmp, kick/stop), usable from any thread of the node. Hart index = the
 * hart id (the engine indexes hart state by hart id).
 */
import { layout } from '@unum/vcpu';
import { HART_BASE, HART_STRIDE, H_HOST_IRQ, H_INSTRET, H_KICK, H_MTIMECMP, H_PC, H_PRIV, H_STOP } from './node-layout.js';

export class HartWords {
  private readonly i32: Int32Array;
  private readonly i64: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.i32 = new Int32Array(buffer);
    this.i64 = new BigInt64Array(buffer);
  }

  private w32(hart: number, off: number): number {
    return (HART_BASE + hart * HART_STRIDE + off) >> 2;
  }

  private w64(hart: number, off: number): number {
    return (HART_BASE + hart * HART_STRIDE + off) >> 3;
  }

  hostIrq(hart: number): number {
    return Atomics.load(this.i32, this.w32(hart, H_HOST_IRQ));
  }

  /** Raise or lower mip bits; wakes the hart if it sleeps in WFI. */
  setIrq(hart: number, bits: number, level: boolean): void {
    const i = this.w32(hart, H_HOST_IRQ);
    if (level) Atomics.or(this.i32, i, bits);
    else Atomics.and(this.i32, i, ~bits);
    Atomics.notify(this.i32, i);
  }

  /** Sleep until the hart's interrupt word changes from `seen` or timeout. */
  waitIrq(hart: number, seen: number, timeoutMs: number): void {
    Atomics.wait(this.i32, this.w32(hart, H_HOST_IRQ), seen, timeoutMs);
  }

  /** Wake a WFI sleeper without changing its pins (control changes). */
  wake(hart: number): void {
    Atomics.notify(this.i32, this.w32(hart, H_HOST_IRQ));
  }

  mtimecmp(hart: number): bigint {
    return BigInt.asUintN(64, Atomics.load(this.i64, this.w64(hart, H_MTIMECMP)));
  }

  setMtimecmp(hart: number, value: bigint): void {
    Atomics.store(this.i64, this.w64(hart, H_MTIMECMP), BigInt.asIntN(64, value));
    this.wake(hart); // a sleeping hart recomputes its deadline
  }

  /** When the engine's Sstc timer raises STIP (stimecmp while menvcfg.STCE, else all ones). */
  stimerDeadline(hart: number): bigint {
    return BigInt.asUintN(64, Atomics.load(this.i64, this.w64(hart, layout.H_STIMER_DEADLINE)));
  }

  instret(hart: number): bigint {
    return BigInt.asUintN(64, Atomics.load(this.i64, this.w64(hart, H_INSTRET)));
  }

  /** The hart's pc: meaningful while it is stopped on an exit (a page exit leaves the faulting instruction's pc). */
  pc(hart: number): bigint {
    return BigInt.asUintN(64, Atomics.load(this.i64, this.w64(hart, H_PC)));
  }

  /** The hart's privilege level (0 U, 1 S, 3 M), read like `pc`. */
  priv(hart: number): number {
    return Atomics.load(this.i32, this.w32(hart, H_PRIV));
  }

  /** Make run() return at its next check (yield), so the worker sees control. */
  kick(hart: number): void {
    Atomics.store(this.i32, this.w32(hart, H_KICK), 1);
    this.wake(hart);
  }

  requestStop(hart: number): void {
    Atomics.store(this.i32, this.w32(hart, H_STOP), 1);
    this.kick(hart);
  }
}
