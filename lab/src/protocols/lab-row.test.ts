import { describe, expect, it } from 'vitest';
import { totalsOf, type DsmStatsJson } from './lab-row.js';

const node = (readFaults: number, latency: { count: number; p50: number; p99: number; max: number; buckets: Record<string, number> }): DsmStatsJson => ({
  readFaults, writeFaults: 0, staleRetries: 0, invalidationsSent: 0, forwards: 0, hopsServed: 0, holds: 0, recalls: 0, homeMigrations: 0,
  updatesSent: 0, prefetchesSent: 0, pushesInstalled: 0, pushesDropped: 0, messagesSent: { request: { count: readFaults, bytes: 0 } }, faultLatencyUs: latency,
});

describe('run totals', () => {
  it('sum counters over nodes and take fault-latency percentiles from the merged histograms, not the worst node', () => {
    // node 0: 98 fast faults (20 µs); node 1: 2 slow ones (about 4000 µs). Over all 100 faults p50 is fast and p99 slow.
    const fast = node(98, { count: 98, p50: 20.5, p99: 20.5, max: 20, buckets: { 20: 98 } });
    const slow = node(2, { count: 2, p50: 4000, p99: 4000, max: 4010, buckets: { 3968: 2 } });
    const t = totalsOf([fast, slow]);
    expect(t.readFaults).toBe(100);
    expect(t.messages).toBe(100);
    expect(t.latencyP50Us).toBe(20.5); // middle of the 20 µs bucket; the worst node's p50 would be 4000
    expect(t.latencyP99Us).toBe(4000); // middle of the 3968..4032 bucket
  });
});
