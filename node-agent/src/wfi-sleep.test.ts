import { describe, expect, it } from 'vitest';
import { Clock } from './clock.js';
import { wfiSleepMs } from './wfi-sleep.js';

const NEVER = (1n << 64n) - 1n;
const TICKS_PER_MS = 10_000n; // 10 MHz timebase

describe('wfiSleepMs', () => {
  const clock = new Clock(Clock.now());
  const ahead = (ms: bigint): bigint => clock.mtimeBig() + ms * TICKS_PER_MS;

  it('sleeps until the Sstc deadline when mtimecmp is 0 (Linux on the built-in SBI)', () => {
    const ms = wfiSleepMs(clock, [0n, ahead(5n)], 100);
    expect(ms).toBeGreaterThan(4);
    expect(ms).toBeLessThanOrEqual(5);
  });

  it('takes the earlier of two deadlines ahead, whichever word holds it', () => {
    expect(wfiSleepMs(clock, [ahead(3n), ahead(20n)], 100)).toBeLessThanOrEqual(3);
    expect(wfiSleepMs(clock, [ahead(20n), ahead(3n)], 100)).toBeLessThanOrEqual(3);
  });

  it('is capped at maxMs, and is maxMs when no deadline is ahead', () => {
    expect(wfiSleepMs(clock, [ahead(500n), NEVER], 100)).toBe(100);
    expect(wfiSleepMs(clock, [0n, NEVER], 100)).toBe(100);
    expect(wfiSleepMs(clock, [0n, 1n], 100)).toBe(100);
  });
});
