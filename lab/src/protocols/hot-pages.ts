/**
 * hot-pages.md: per workload and configuration, the units with the most
 * faults (summed over nodes, from each node's pageStats) in the first
 * successful repeat, with their guest-physical address.
 */
import { markdownTable } from '../markdown-table.js';
import { configKey } from './lab-config.js';
import type { LabRow } from './lab-row.js';

const RAM_BASE = 0x8000_0000;

export function hotPagesReport(rows: readonly LabRow[], top: number): string {
  const seen = new Set<string>();
  const out: string[] = ['# Hot units', '', `The ${top} units with the most faults per configuration (first successful repeat; faults and invalidations received, summed over nodes).`, ''];
  let workload = '';
  for (const r of [...rows].sort((a, b) => a.workload.localeCompare(b.workload) || a.repeat - b.repeat)) {
    const k = configKey(r);
    if (!r.ok || !r.hotUnits || seen.has(k)) continue;
    seen.add(k);
    if (r.workload !== workload) out.push(`## ${(workload = r.workload)}`, '');
    out.push(`**${r.variant}**, unit ${r.unit}, ${r.nodes} nodes, latency ${r.linkLatency}, ${r.pagePlacement}`, '');
    const total = (r.totals?.faults ?? 0) || 1;
    out.push(markdownTable(['unit', 'GPA', 'read faults', 'write faults', 'invalidations', 'share of faults'],
      r.hotUnits.slice(0, top).map((u) => [String(u.unit), `0x${(RAM_BASE + u.unit * r.unitBytes).toString(16)}`, String(u.readFaults),
        String(u.writeFaults), String(u.invalidations), `${(((u.readFaults + u.writeFaults) / total) * 100).toFixed(0)}%`])), '');
  }
  return out.join('\n');
}
