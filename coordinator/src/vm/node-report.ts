/**
 * What a run reports: one NodeReport per node (DSM stats, MMIO, instructions,
 * frames) in a ClusterStats with the VM's outcome (both protos/stats.proto).
 * `--stats FILE.json` writes the ClusterStats; stderr gets `summaryTable()`.
 */
import type { ClusterStats, IoStats, MessageCount, NodeReport, Totals } from '@unum/protos/stats';

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

/** What the table knows of a node beyond its report: its name, and why it was lost (if it was). */
export interface NodeName {
  name: string;
  lostReason?: string;
}

/**
 * The per-node table printed to stderr at exit: one row per node of the VM.
 * A node that sent no report (lost, or silent at the end) keeps its row, its
 * numbers `-`, and says `lost` (or `no report`) where its instret would be.
 */
export function summaryTable(s: ClusterStats, nodes: readonly NodeName[] = []): string {
  const head = ['node', 'name', 'harts', 'instret', 'rd-faults', 'wr-faults', 'msgs-sent', 'bytes-sent', 'fault-p50-us', 'mmio-rd', 'mmio-wr', 'frames', 'ms'];
  const reported = new Map(s.perNode.map((r) => [r.node, r]));
  const ids = [...new Set([...Array.from({ length: s.nodes }, (_, i) => i), ...reported.keys()])].sort((a, b) => a - b);
  const rows = ids.map((node) => {
    const r = reported.get(node);
    if (!r) {
      const harts = s.hartNode.flatMap((n, h) => (n === node ? [String(h)] : []));
      return [String(node), nodes[node]?.name ?? '-', harts.join(',') || '-', nodes[node]?.lostReason ? 'lost' : 'no report', ...head.slice(4).map(() => '-')];
    }
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
    ...s.perNode.flatMap((r) => (r.io && r.io.requests > 0 ? [ioLine(r.node, r.io)] : [])),
    ...(s.vcpuMigrations ? [`vcpu migrations: ${s.vcpuMigrations}; harts end on nodes ${s.hartNode.join(',')}`] : []),
  ].join('\n');
}

/** What virtio I/O cost on the device node: requests, DMA, and the DSM traffic its faults caused (per request too). */
export function ioLine(node: number, io: IoStats): string {
  const per = (x: number): string => (x / io.requests).toFixed(2);
  return `io on node ${node}: ${io.requests} requests, DMA ${io.dmaReads} reads (${io.dmaReadBytes} B) ${io.dmaWrites} writes (${io.dmaWriteBytes} B), ` +
    `DSM faults ${io.readFaults} rd ${io.writeFaults} wr, ${io.dsmMessages} messages ${io.dsmBytes} B (${per(io.dsmMessages)} messages, ${per(io.dsmBytes)} B per request)` +
    (io.net ? `; net rx ${io.net.rxFrames} frames (${io.net.rxBytes} B) tx ${io.net.txFrames} frames (${io.net.txBytes} B), ${io.net.rxDropped} dropped` : '');
}
