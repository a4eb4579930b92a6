import { describe, expect, it } from 'vitest';
import { TIMEBASE_HZ } from '@unum/machine';
import { Clock } from './clock.js';

describe('Clock', () => {
  it('ticks at 10 MHz from its origin, the same in every Clock built from it', async () => {
    expect(TIMEBASE_HZ).toBe(10_000_000);
    const a = new Clock(Clock.now() - 1_000_000_000n); // origin 1 s ago
    const b = new Clock(a.originNs);
    const t = a.mtimeBig();
    expect(t).toBeGreaterThanOrEqual(10_000_000n);
    expect(t).toBeLessThan(10_000_000n + 5_000_000n);
    expect(b.mtimeBig() - t).toBeGreaterThanOrEqual(0n);
    expect(b.mtimeBig() - t).toBeLessThan(5_000_000n);
  });

  it('turns a deadline into a sleep in ms, 0 once it has passed', () => {
    const c = new Clock(Clock.now());
    expect(c.msUntil(0n)).toBe(0);
    const ms = c.msUntil(c.mtimeBig() + 50_000n); // 5 ms ahead
    expect(ms).toBeGreaterThan(3);
    expect(ms).toBeLessThanOrEqual(5);
  });
});
