/**
 * The lab's two charts: runtime of each variant relative to the first
 * protocol of the run (the baseline) in the same setting, and messages per
 * fault; grouped bars per workload, one panel per setting (unit, nodes,
 * latency). Written as SVG and PNG.
 */
import { join } from 'node:path';
import { groupedBars, writeChart, type ChartRow } from '../plot.js';
import { settingOf, type LabGroup } from './lab-groups.js';

export function runtimeRows(groups: readonly LabGroup[], baseline: string): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const g of groups) {
    if (!g.repeats) continue;
    const base = groups.find((b) => b.workload === g.workload && settingOf(b) === settingOf(g) && b.config.protocol === baseline && b.repeats);
    if (!base || !(base.runtime.median > 0)) continue;
    rows.push({ workload: g.workload, variant: g.config.variant, setting: settingOf(g), ratio: g.runtime.median / base.runtime.median });
  }
  return rows;
}

export function messagesPerFaultRows(groups: readonly LabGroup[]): ChartRow[] {
  return groups.filter((g) => g.counters).map((g) => ({
    workload: g.workload, variant: g.config.variant, setting: settingOf(g), msgsPerFault: g.counters!.messagesPerFault,
  }));
}

/** Writes runtime.{svg,png} and messages-per-fault.{svg,png} into `dir`; returns the base names written. */
export async function writeLabPlots(groups: readonly LabGroup[], baseline: string, dir: string): Promise<string[]> {
  await writeChart(groupedBars({
    title: `guest runtime relative to ${baseline} (median of repeats; lower is better)`, rows: runtimeRows(groups, baseline),
    x: 'workload', group: 'variant', y: 'ratio', yTitle: `runtime / ${baseline} (log)`, facet: 'setting', yScale: 'log', baseline: 1,
  }), join(dir, 'runtime'));
  await writeChart(groupedBars({
    title: 'DSM messages per fault (median of repeats)', rows: messagesPerFaultRows(groups),
    x: 'workload', group: 'variant', y: 'msgsPerFault', yTitle: 'messages per fault', facet: 'setting',
  }), join(dir, 'messages-per-fault'));
  return ['runtime', 'messages-per-fault'];
}
