/**
 * Waits with microsecond precision. setTimeout rounds to ~1 ms, which would
 * swamp a 20 µs device or a 50 µs link, so the last stretch is polled with
 * setImmediate against hrtime (the event loop keeps running meanwhile). Long
 * waits sleep on a timer first, so only the final ~1.5 ms is polled.
 *
 * @example
 *   await preciseDelay(50_000);            // 50 µs
 *   await preciseUntil(hrtimeNs() + 5_000_000n);
 */
const SLEEP_SLACK_NS = 1_500_000n;

export function hrtimeNs(): bigint {
  return process.hrtime.bigint();
}

/** Resolves once the monotonic clock reaches `deadlineNs`. */
export function preciseUntil(deadlineNs: bigint): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      const left = deadlineNs - hrtimeNs();
      if (left <= 0n) resolve();
      else if (left > SLEEP_SLACK_NS) setTimeout(poll, Number((left - SLEEP_SLACK_NS) / 1_000_000n));
      else setImmediate(poll);
    };
    poll();
  });
}

export function preciseDelay(ns: number): Promise<void> {
  return ns <= 0 ? Promise.resolve() : preciseUntil(hrtimeNs() + BigInt(Math.round(ns)));
}
