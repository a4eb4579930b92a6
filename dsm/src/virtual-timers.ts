import type { NodeTimers } from './options.js';

/**
 * Timers on a virtual clock the host advances (lockstep mode): `now()` is
 * the virtual time and `after()` fires only when `advance()` passes its due
 * time, in due-time then registration order. So a Mirage hold lasts Δ of
 * guest progress, not of host wall time, and the same run holds the same
 * requests every time. `defer` stays real (it only orders local work).
 */
export class VirtualTimers implements NodeTimers {
  private ms = 0;
  private seq = 0;
  private readonly due: Array<{ at: number; seq: number; fn: () => void }> = [];

  defer(fn: () => void): void {
    setImmediate(fn);
  }

  after(ms: number, fn: () => void): void {
    this.due.push({ at: this.ms + ms, seq: this.seq++, fn });
    this.due.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  now(): number {
    return this.ms;
  }

  /** Timers still waiting. */
  get waiting(): number {
    return this.due.length;
  }

  /** Move the clock to `ms` (never backwards) and run the timers now due, at most `max`; returns how many ran. */
  advance(ms: number, max = Infinity): number {
    this.ms = Math.max(this.ms, ms);
    let ran = 0;
    while (ran < max && this.due.length > 0 && this.due[0]!.at <= this.ms) {
      this.due.shift()!.fn();
      ran++;
    }
    return ran;
  }
}
