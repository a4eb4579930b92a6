/**
 * How long a hart in WFI may sleep on the host: until the first of its timer
 * deadlines (mtimecmp, and the Sstc / SBI set_timer one) that is still
 * ahead, and at most `maxMs` (the hart re-checks control that often).
 *
 * A deadline already past is not one the hart waits for: its interrupt is
 * disabled, or the engine would not have stopped in WFI. Linux on the
 * built-in SBI leaves mtimecmp at 0 and arms only the Sstc deadline; taking
 * the earlier of the two (0, long past) slept through every kernel timer
 * until an IPI or `maxMs` woke the hart.
 */
import type { Clock } from './clock.js';

export function wfiSleepMs(clock: Clock, deadlines: readonly bigint[], maxMs: number): number {
  let ms = maxMs;
  for (const d of deadlines) {
    const until = clock.msUntil(d);
    if (until > 0 && until < ms) ms = until;
  }
  return ms;
}
