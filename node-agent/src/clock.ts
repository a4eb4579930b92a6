/**
 * The guest's time source: mtime at 10 MHz (QEMU virt's timebase-frequency)
 * from the host's monotonic clock. Every thread of a node builds its Clock
 * from the same `originNs`, so the engine's `time` CSR, CLINT mtime reads and
 * WFI deadlines all agree. See docs/time.md.
 *
 * @example
 *   const clock = new Clock(Clock.now());      // main thread, at VM start
 *   new Worker(url, { workerData: { originNs: clock.originNs } });
 *   // in the worker: const clock = new Clock(workerData.originNs); clock.mtimeBig()
 */
import { TIMEBASE_HZ } from '@unum/machine';

const NS_PER_TICK = 1_000_000_000 / TIMEBASE_HZ; // 100

export class Clock {
  /** Host monotonic time (ns) at which mtime was 0. */
  constructor(readonly originNs: bigint) {}

  static now(): bigint {
    return process.hrtime.bigint();
  }

  /** Current mtime in 10 MHz ticks. */
  mtimeBig(): bigint {
    return (process.hrtime.bigint() - this.originNs) / BigInt(NS_PER_TICK);
  }

  /** Milliseconds until mtime reaches `deadline` (0 if already past). */
  msUntil(deadline: bigint): number {
    const ticks = deadline - this.mtimeBig();
    return ticks <= 0n ? 0 : Number(ticks) / (TIMEBASE_HZ / 1000);
  }
}
