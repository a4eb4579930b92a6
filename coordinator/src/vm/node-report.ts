/**
 * What a run reports: one NodeReport per node (DSM stats, MMIO, instructions,
 * frames) in a ClusterStats with the VM's outcome (both protos/stats.proto).
 * `--stats FILE.json` writes the ClusterStats; stderr gets `summaryTable()`.
 */
import type { ClusterStats, MessageCount, NodeReport, Totals } from '@unum/protos/stats';

const sent = (r: NodeReport): MessageCount =>
  Object.values(r.dsm?.messagesSent ?? {}).reduce((a, s) => ({ count: a.count + s.count, bytes: a.bytes + s.bytes }), { count: 0, bytes: 0 });
const instretOf = (r: NodeReport): bigint => Object.values(r.instret).reduce((a, v) => a + BigInt(v), 0n);

export function totalsOf(reports: NodeReport[]): Totals {
  let readFaults = 0, writeFaults = 0, messages = 0, bytes = 0, instret = 0n;
  for (const r of reports) {
    readFaults += r.dsm?.readFaults ?? 0;
    writeFaults += r.dsm?.writeFaults ?? 0;
    const s = sent(r);
    messages += s.count;
    bytes += s.bytes;
    instret += instretOf(r);
  }
  return { readFaults, writeFaults, messages, bytes, instret: instret.toString() };
}

/** The per-node table printed to stderr at exit. */
export function summaryTable(s: ClusterStats): string {
  const head = ['node', 'name', 'harts', 'instret', 'rd-faults', 'wr-faults', 'msgs-sent', 'bytes-sent', 'fault-p50-us', 'mmio-rd', 'mmio-wr', 'frames', 'ms'];
  const rows = s.perNode.map((r) => {
    const m = sent(r);
    return [String(r.node), r.name, r.harts.join(',') || '-', instretOf(r).toString(), String(r.dsm?.readFaults ?? 0), String(r.dsm?.writeFaults ?? 0),
      String(m.count), String(m.bytes), (r.dsm?.faultLatencyUs?.p50 ?? 0).toFixed(0), String(r.mmioReads), String(r.mmioWrites),
      String(r.framesUsed), r.runMs.toFixed(0)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [
    `unum: ${s.nodes} node(s), ${s.vcpus} vcpu(s), ${s.protocol}, unit ${s.unitBytes / 1024}K, pages ${s.pagePlacement}: ` +
      `${s.outcome} (exit ${s.exitCode}) in ${s.wallMs.toFixed(0)} ms`,
    line(head),
    ...rows.map(line),
  ].join('\n');
}
