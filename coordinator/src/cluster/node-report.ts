/**
 * What a cluster run reports: one NodeReport per agent (DSM stats, MMIO,
 * instructions, frames) plus the VM's outcome. `--stats FILE.json` writes a
 * ClusterStats; stderr gets `summaryTable()`.
 */
import type { NodeReport } from '@unum/node-agent';
import type { LockstepCounts } from './lockstep-driver.js';

export interface ClusterStats {
  vmId: string;
  nodes: number;
  vcpus: number;
  memBytes: number;
  protocol: string;
  unitBytes: number;
  pagePlacement: string;
  /** hartNode[h] = node running hart h. */
  hartNode: number[];
  outcome: string;
  reason: string;
  exitCode: number;
  /** Wall time from start to the guest's finish (ms). */
  wallMs: number;
  perNode: NodeReport[];
  totals: { readFaults: number; writeFaults: number; messages: number; bytes: number; instret: string };
  /** Lockstep mode: the quantum and the driver's counters. */
  lockstep?: LockstepCounts & { quantum: number };
}

interface DsmCounts {
  readFaults: number;
  writeFaults: number;
  messagesSent: Record<string, { count: number; bytes: number }>;
  faultLatencyUs: { p50: number; p99: number };
}

const dsmOf = (r: NodeReport): DsmCounts => r.dsm as DsmCounts;
const sent = (r: NodeReport): { count: number; bytes: number } =>
  Object.values(dsmOf(r).messagesSent).reduce((a, s) => ({ count: a.count + s.count, bytes: a.bytes + s.bytes }), { count: 0, bytes: 0 });
const instretOf = (r: NodeReport): bigint => Object.values(r.instret).reduce((a, v) => a + BigInt(v), 0n);

export function totalsOf(reports: NodeReport[]): ClusterStats['totals'] {
  let readFaults = 0, writeFaults = 0, messages = 0, bytes = 0, instret = 0n;
  for (const r of reports) {
    readFaults += dsmOf(r).readFaults;
    writeFaults += dsmOf(r).writeFaults;
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
    const d = dsmOf(r);
    const m = sent(r);
    return [String(r.node), r.name, r.harts.join(',') || '-', instretOf(r).toString(), String(d.readFaults), String(d.writeFaults),
      String(m.count), String(m.bytes), d.faultLatencyUs.p50.toFixed(0), String(r.mmioReads), String(r.mmioWrites),
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
