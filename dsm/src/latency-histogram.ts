/**
 * Fault latencies (µs) in log-linear buckets that every node shares: below
 * 32 µs one bucket per µs, above that 32 buckets per power of two (≤ 3%
 * wide). Because the buckets are the same everywhere, the histograms of
 * several nodes sum exactly, and the cluster's percentiles come from the
 * sum; a node's own percentiles use the same code.
 */

/** Sub-buckets per power of two (and the µs below which buckets are 1 µs wide). */
const SUB = 32;

/** A histogram as plain JSON: bucket lower bound in µs → samples. */
export type LatencyBuckets = Record<string, number>;

/** Percentiles and the histogram (protos/stats.proto). */
export type { LatencySummary } from '@unum/protos/stats';
import type { LatencySummary } from '@unum/protos/stats';

/** Lower bound of the bucket holding `us` (an integer). */
export function bucketOf(us: number): number {
  if (!(us >= SUB)) return Math.max(0, Math.floor(us) || 0);
  const step = 2 ** (Math.floor(Math.log2(us)) - Math.log2(SUB));
  return Math.floor(us / step) * step;
}

const widthOf = (lo: number): number => (lo < SUB ? 1 : 2 ** (Math.floor(Math.log2(lo)) - Math.log2(SUB)));

/**
 * The q-quantile (the sample at rank ⌊q·count⌋) of a histogram: the middle
 * of its bucket, never above the largest sample seen.
 */
export function bucketPercentile(buckets: LatencyBuckets, q: number, max: number): number {
  const bounds = Object.keys(buckets).map(Number).sort((a, b) => a - b);
  const count = bounds.reduce((a, b) => a + buckets[b]!, 0);
  if (count === 0) return 0;
  const rank = Math.min(count - 1, Math.floor(q * count));
  let seen = 0;
  for (const lo of bounds) {
    seen += buckets[lo]!;
    if (seen > rank) return Math.min(max, lo + widthOf(lo) / 2);
  }
  return max;
}

/** Summary of several nodes' histograms, as if every sample had been taken on one node. */
export function mergeLatency(parts: readonly Pick<LatencySummary, 'count' | 'max' | 'buckets'>[]): LatencySummary {
  const buckets: LatencyBuckets = {};
  let count = 0, max = 0;
  for (const p of parts) {
    count += p.count;
    max = Math.max(max, p.max);
    for (const [lo, n] of Object.entries(p.buckets)) buckets[lo] = (buckets[lo] ?? 0) + n;
  }
  return { count, p50: bucketPercentile(buckets, 0.5, max), p99: bucketPercentile(buckets, 0.99, max), max, buckets };
}

/** One node's fault latencies. */
export class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  private count = 0;
  private max = 0;

  add(us: number): void {
    const lo = bucketOf(us);
    this.buckets.set(lo, (this.buckets.get(lo) ?? 0) + 1);
    this.count++;
    if (us > this.max) this.max = us;
  }

  summary(): LatencySummary {
    return mergeLatency([{ count: this.count, max: this.max, buckets: Object.fromEntries(this.buckets) }]);
  }
}
