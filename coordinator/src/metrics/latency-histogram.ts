/**
 * The agents' fault-latency buckets as a Prometheus histogram. prom-client's
 * Histogram only takes single observations; the agents already count by
 * bucket, so this metric hands their cumulative buckets to the registry as
 * they are (the shape Registry.metrics() formats: name, type, values).
 */
import type { VmSnapshot } from '../telemetry/vm-telemetry.js';

interface Value { metricName: string; labels: Record<string, string | number>; value: number }

export class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(readonly name: string, readonly help: string, private readonly snaps: () => Iterable<VmSnapshot>) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: Value[] } {
    const values: Value[] = [];
    for (const snap of this.snaps()) {
      for (const n of snap.nodes) {
        const d = n.sample?.dsm;
        if (!d) continue;
        const labels = { vm: snap.info.id, node: String(n.node), name: n.name };
        let cum = 0;
        d.latencyCounts.forEach((c, i) => {
          cum += c;
          const le = i < d.latencyBucketsUs.length ? String(d.latencyBucketsUs[i]! / 1e6) : '+Inf';
          values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: cum });
        });
        values.push({ metricName: `${this.name}_sum`, labels, value: d.latencySumUs / 1e6 });
        values.push({ metricName: `${this.name}_count`, labels, value: cum });
      }
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {}
}
