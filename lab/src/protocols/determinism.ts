/**
 * The determinism check: repeats of one configuration (same workload, args,
 * protocol, unit, nodes, latency, placement) should give the same
 * deterministic counters (faults, invalidations, messages, bytes, forwards).
 * With real threads they do only when the sharing pattern does not depend
 * on timing; every configuration where they differ is reported, with the
 * range seen.
 */
import { DETERMINISTIC_COUNTERS, type DeterministicCounter, type LabRow } from './lab-row.js';

export interface CounterSpread {
  counter: DeterministicCounter;
  min: number;
  max: number;
}

/** Counters that differ between the successful repeats `rows` (all of one configuration). */
export function differingCounters(rows: readonly LabRow[]): CounterSpread[] {
  const good = rows.filter((r) => r.ok && r.totals);
  const out: CounterSpread[] = [];
  if (good.length < 2) return out;
  for (const counter of DETERMINISTIC_COUNTERS) {
    const v = good.map((r) => r.totals![counter]);
    const min = Math.min(...v), max = Math.max(...v);
    if (min !== max) out.push({ counter, min, max });
  }
  return out;
}

/** "readFaults 120–134, messages 300–322"; "" when deterministic. */
export function describeSpread(d: readonly CounterSpread[]): string {
  return d.map((s) => `${s.counter} ${s.min}–${s.max}`).join(', ');
}

export interface WorkloadDeterminism {
  /** Configurations with at least 2 successful repeats. */
  compared: number;
  /** Of those, how many had a differing counter. */
  nondeterministic: number;
}

/** Per workload, from per-configuration verdicts. */
export function determinismByWorkload(groups: readonly { workload: string; repeats: number; differing: readonly CounterSpread[] }[]): Map<string, WorkloadDeterminism> {
  const out = new Map<string, WorkloadDeterminism>();
  for (const g of groups) {
    if (g.repeats < 2) continue;
    const w = out.get(g.workload) ?? { compared: 0, nondeterministic: 0 };
    w.compared++;
    if (g.differing.length) w.nondeterministic++;
    out.set(g.workload, w);
  }
  return out;
}
