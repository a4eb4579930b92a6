import { describe, expect, it } from 'vitest';
import { bucketOf, bucketPercentile, LatencyHistogram, mergeLatency } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('buckets are 1 µs wide below 32 µs and at most 1/32 of the value above', () => {
    expect([0, 0.4, 1, 31.9].map(bucketOf)).toEqual([0, 0, 1, 31]);
    expect(bucketOf(32)).toBe(32);
    expect(bucketOf(100)).toBe(100);
    expect(bucketOf(1000)).toBe(992); // 512..1024 in steps of 16
    for (const v of [33, 77.7, 1234, 98_765]) {
      expect(bucketOf(v)).toBeLessThanOrEqual(v);
      expect(v - bucketOf(v)).toBeLessThan(v / 32);
    }
  });

  it('percentiles land within a bucket of the exact ones', () => {
    const h = new LatencyHistogram();
    const xs = Array.from({ length: 1000 }, (_, i) => 10 + i * 7.3);
    for (const x of xs) h.add(x);
    const s = h.summary();
    const exact = (q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * xs.length)]!;
    expect(s.count).toBe(1000);
    expect(s.max).toBeCloseTo(10 + 999 * 7.3);
    expect(Math.abs(s.p50 - exact(0.5)) / exact(0.5)).toBeLessThan(1 / 32);
    expect(Math.abs(s.p99 - exact(0.99)) / exact(0.99)).toBeLessThan(1 / 32);
  });

  it('merged percentiles are those of all samples, not the worst node\'s', () => {
    const fast = new LatencyHistogram(), slow = new LatencyHistogram(), all = new LatencyHistogram();
    for (let i = 0; i < 990; i++) { fast.add(20); all.add(20); }
    for (let i = 0; i < 10; i++) { slow.add(5000); all.add(5000); }
    const m = mergeLatency([fast.summary(), slow.summary()]);
    expect(m).toEqual(all.summary());
    expect(m.count).toBe(1000);
    expect(m.p50).toBe(20.5); // the slow node alone would say 5000
    expect(m.p99).toBeGreaterThan(4900);
    expect(m.max).toBe(5000);
  });

  it('empty histograms give zeros', () => {
    expect(mergeLatency([])).toEqual({ count: 0, p50: 0, p99: 0, max: 0, buckets: {} });
    expect(bucketPercentile({}, 0.5, 0)).toBe(0);
  });
});
