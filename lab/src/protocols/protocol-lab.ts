/**
 * The DSM protocol lab: runs the matrix of workloads × protocol variants ×
 * units × nodes × link latencies × placements, `repeat` times each, as
 * `unum run` child processes, and writes into `out`:
 *   results.csv, results.json   one row per run (config, runtime, checksum, counters total and per node)
 *   tables.md                   one markdown table per workload (medians, spread, determinism verdict)
 *   runtime.{svg,png}, messages-per-fault.{svg,png}
 *   hot-pages.md                hottest units per configuration
 *   summary.md                  which variant wins per workload, and why
 *   trace/<run>/node<k>.jsonl   per-fault trace (with `trace`)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { knobSpecs } from '@unum/dsm';
import { runMatrix } from '../run-matrix.js';
import { RunProgress } from '../progress.js';
import { labMatrix, runId, type LabDimensions } from './lab-config.js';
import { groupRows } from './lab-groups.js';
import { runLabConfig, type LabRunEnv } from './lab-run.js';
import type { LabRow } from './lab-row.js';
import { labCsv } from './lab-csv.js';
import { TABLE_NOTES, workloadTables } from './lab-tables.js';
import { writeLabPlots } from './lab-plots.js';
import { hotPagesReport } from './hot-pages.js';
import { labSummary } from './lab-summary.js';

export interface LabOptions extends LabDimensions {
  out: string;
  trace: boolean;
  jobs: number;
  /** How the lab was started (recorded in results.json and the tables). */
  command: string;
  run: Omit<LabRunEnv, 'scratchDir' | 'traceDirOf'>;
}

export interface LabOutcome {
  rows: LabRow[];
  failed: number;
  /** Configurations whose deterministic counters differed between repeats. */
  nondeterministic: number;
  /** Runs whose checksum differs from the other runs of the same workload and args. */
  checksumMismatches: number;
  summary: string;
}

/** Runs whose checksum is not the most common one among runs of the same workload and args. */
export function checksumMismatches(rows: readonly LabRow[]): LabRow[] {
  const by = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (!r.checksum) continue;
    const k = `${r.workload} ${r.args}`;
    const m = by.get(k) ?? new Map<string, number>();
    m.set(r.checksum, (m.get(r.checksum) ?? 0) + 1);
    by.set(k, m);
  }
  const majority = new Map([...by].map(([k, m]) => [k, [...m].sort((a, b) => b[1] - a[1])[0]![0]]));
  return rows.filter((r) => r.checksum && r.checksum !== majority.get(`${r.workload} ${r.args}`));
}

/** Knob values ascending (unset first), in the registry's knob order. */
function byKnobs(a: LabRow, b: LabRow): number {
  for (const { spec } of knobSpecs()) {
    const d = (a.knobs[spec.name] ?? -1) - (b.knobs[spec.name] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** Rows in report order: workload, nodes, unit, latency, placement, then protocols as given, knob values ascending, then repeat. */
function reportOrder(rows: LabRow[], o: LabDimensions): LabRow[] {
  const idx = <T>(list: readonly T[], v: T): number => list.indexOf(v);
  return [...rows].sort((a, b) =>
    idx(o.workloads, a.workload) - idx(o.workloads, b.workload) || a.nodes - b.nodes || a.unitBytes - b.unitBytes ||
    idx(o.linkLatencies, a.linkLatency) - idx(o.linkLatencies, b.linkLatency) || idx(o.pagePlacements, a.pagePlacement) - idx(o.pagePlacements, b.pagePlacement) ||
    idx(o.protocols, a.protocol) - idx(o.protocols, b.protocol) || byKnobs(a, b) || a.repeat - b.repeat);
}

export async function runProtocolLab(o: LabOptions): Promise<LabOutcome> {
  await mkdir(o.out, { recursive: true });
  const scratchDir = await mkdtemp(join(tmpdir(), 'unum-lab-'));
  const configs = labMatrix(o);
  const env: LabRunEnv = { ...o.run, scratchDir, traceDirOf: o.trace ? (c) => join(o.out, 'trace', runId(c)) : undefined };
  const progress = new RunProgress(configs.length, 'protocol lab');
  const started = new Date();
  let rows: LabRow[];
  try {
    rows = await runMatrix(configs, (c, signal) => runLabConfig(c, env, signal), {
      jobs: o.jobs,
      onResult: (c, r) => progress.tick(`${c.workload} ${c.variant} ${c.unit} n${c.nodes} lat ${c.linkLatency}${r.ok ? '' : ' FAILED'}`),
    });
  } finally {
    progress.stop();
    await rm(scratchDir, { recursive: true, force: true });
  }
  rows = reportOrder(rows, o);
  return writeLabReports(rows, { out: o.out, command: o.command, baseline: o.protocols[0]!, seed: o.seed, repeat: o.repeat, hotTop: o.run.hotTop, started, runs: configs.length, quantum: o.run.quantum });
}

export interface ReportOptions {
  out: string;
  command: string;
  baseline: string;
  seed: number;
  repeat: number;
  hotTop: number;
  started: Date;
  runs: number;
  /** Lockstep quantum the runs used (undefined: free-running). */
  quantum?: number;
}

/** Every report file from the rows (in report order); also used to re-render an earlier results.json. */
export async function writeLabReports(rows: LabRow[], o: ReportOptions): Promise<LabOutcome> {
  await mkdir(o.out, { recursive: true });
  const started = o.started;
  const configs = { length: o.runs };
  const groups = groupRows(rows);
  const baseline = o.baseline;
  const nondeterministic = groups.filter((g) => g.differing.length).length;
  const mismatched = checksumMismatches(rows);
  for (const r of mismatched) {
    r.ok = false;
    r.error = `checksum ${r.checksum} differs from the other runs of ${r.workload} ${r.args}`;
  }
  const failed = rows.filter((r) => !r.ok).length;
  const summary = labSummary(groups, baseline, o.quantum, o.repeat);

  await writeFile(join(o.out, 'results.csv'), labCsv(rows));
  await writeFile(join(o.out, 'results.json'), `${JSON.stringify({
    command: o.command, started: started.toISOString(), finished: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg: loadavg() }, baseline, seed: o.seed, repeat: o.repeat,
    quantum: o.quantum ?? null, failed, nondeterministic, checksumMismatches: mismatched.length,
    determinism: groups.map((g) => ({ config: g.key, repeats: g.repeats, differing: g.differing })),
    runs: rows,
  }, null, 2)}\n`);
  await writeFile(join(o.out, 'tables.md'), [`# Protocol lab: ${o.command}`, '', `Baseline for ratios: ${baseline}. ${configs.length} runs, ${failed} failed, ` +
    `${nondeterministic} configuration(s) with counters that differed between repeats. ` +
    `${o.quantum ? `Lockstep mode, quantum ${o.quantum} instructions (docs/determinism.md).` : 'Free-running (real thread timing).'}`, '', TABLE_NOTES, '', workloadTables(groups)].join('\n'));
  await writeLabPlots(groups, baseline, o.out);
  await writeFile(join(o.out, 'hot-pages.md'), hotPagesReport(rows, o.hotTop));
  await writeFile(join(o.out, 'summary.md'), summary);
  return { rows, failed, nondeterministic, checksumMismatches: mismatched.length, summary };
}
