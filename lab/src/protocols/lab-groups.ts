/**
 * Repeats of one configuration folded into one group: median and spread of
 * the runtime, median counters, the determinism verdict. Tables, plots and
 * the summary all read groups.
 */
import { spreadOf, type Spread } from '../median.js';
import { configKey, type LabConfig } from './lab-config.js';
import { differingCounters, type CounterSpread } from './determinism.js';
import type { LabCounters, LabRow } from './lab-row.js';

export interface LabGroup {
  key: string;
  config: Omit<LabConfig, 'repeat'>;
  workload: string;
  runs: number;
  failed: number;
  /** Guest ms of the timed region. */
  runtime: Spread;
  wall: Spread;
  /** Median of each counter over the successful repeats (undefined: none succeeded). */
  counters?: LabCounters;
  /** Successful repeats. */
  repeats: number;
  differing: CounterSpread[];
}

/** Groups in first-seen order of (workload, nodes, unit, latency, placement, variant) as the caller sorted rows. */
export function groupRows(rows: readonly LabRow[]): LabGroup[] {
  const by = new Map<string, LabRow[]>();
  for (const r of rows) by.set(configKey(r), [...(by.get(configKey(r)) ?? []), r]);
  return [...by].map(([key, rs]) => {
    const good = rs.filter((r) => r.ok && r.totals);
    const { repeat: _repeat, ...config } = rs[0]!;
    const counters = {} as LabCounters;
    if (good.length) {
      for (const k of Object.keys(good[0]!.totals!) as (keyof LabCounters)[]) counters[k] = spreadOf(good.map((r) => r.totals![k])).median;
    }
    return {
      key, config: { workload: config.workload, args: config.args, protocol: config.protocol, knobs: config.knobs, variant: config.variant, unit: config.unit, unitBytes: config.unitBytes,
        nodes: config.nodes, vcpus: config.vcpus, linkLatency: config.linkLatency, pagePlacement: config.pagePlacement, seed: config.seed },
      workload: config.workload, runs: rs.length, failed: rs.length - good.length,
      runtime: spreadOf(good.map((r) => r.guestMs!)), wall: spreadOf(good.map((r) => r.wallMs!)),
      counters: good.length ? counters : undefined, differing: differingCounters(rs), repeats: good.length,
    };
  });
}

/** The setting a group is compared within: everything but the protocol. */
export function settingOf(g: LabGroup): string {
  const c = g.config;
  return `${c.unit}, ${c.nodes} nodes, latency ${c.linkLatency}${c.pagePlacement === 'node0' ? '' : `, ${c.pagePlacement}`}`;
}
