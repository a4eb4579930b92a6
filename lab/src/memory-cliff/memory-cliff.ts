/**
 * The memory-cliff experiment: for each working-set size, (a) one node with
 * memory to spare, (b) one node capped at --node-mem swapping to its swap
 * file, (c) N capped nodes aggregated by the DSM (cliff-configs.ts), each an
 * `unum run --nodes` child. Writes results.csv/json, runtime.svg/png (one line per
 * configuration), table.md and summary.md (the cliff point and the ratios).
 *
 * @example
 *   await runMemoryCliff({ workload: 'memscan', sizes: [16 << 20, 32 << 20], nodeMem: 32 << 20, nodes: [2], ... });
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChild } from '../child-run.js';
import { toCsv } from '../csv.js';
import { markdownTable } from '../markdown-table.js';
import { spreadOf } from '../median.js';
import { lines, writeChart } from '../plot.js';
import { RunProgress } from '../progress.js';
import { parseResultOutput } from '../result-line.js';
import { runMatrix } from '../run-matrix.js';
import { cliffArgv, cliffConfigs, describeConfigs, type CliffConfig, type CliffOptions } from './cliff-configs.js';
import { cliffSummary, type CliffPoint } from './cliff-summary.js';

export { CLIFF_SCOPES, CLIFF_WORKLOADS, type CliffOptions, type CliffWorkload } from './cliff-configs.js';

export interface CliffRow {
  config: string; kind: string; nodes: number; vcpus: number; sizeMiB: number; rep: number; ok: boolean;
  wallMs: number; guestMs: number; checksum: string; swapOuts: number; swapIns: number; evictions: number; pushes: number;
  dsmFaults: number; note: string;
}

const MiB = 2 ** 20;

interface NodeStats { memory?: { swapOuts: number; swapIns: number; evictions: number; pushes: number }; dsm?: { readFaults: number; writeFaults: number } }

export async function runMemoryCliff(o: CliffOptions): Promise<CliffRow[]> {
  await mkdir(o.out, { recursive: true });
  const scratch = await mkdtemp(join(o.out, '.runs-'));
  const configs = cliffConfigs(o);
  const progress = new RunProgress(configs.length, 'memory-cliff');
  try {
    const rows = await runMatrix(configs, async (c, signal) => {
      const stats = join(scratch, `${c.kind}-${c.nodes}-${c.size}-${c.rep}.json`);
      const r = await runChild({ argv: cliffArgv(o, c, stats, scratch), timeoutMs: o.timeoutMs, cwd: o.repo }, signal);
      return rowOf(c, o.vcpus, r, stats);
    }, { onResult: (c) => progress.tick(`${c.config} ${c.size / MiB}M`) });
    await writeOutputs(o, rows);
    return rows;
  } finally {
    progress.stop();
    await rm(scratch, { recursive: true, force: true }); // swap files live here too: gone even after Ctrl-C
  }
}

async function rowOf(c: CliffConfig, vcpus: number, r: Awaited<ReturnType<typeof runChild>>, statsFile: string): Promise<CliffRow> {
  const row: CliffRow = { config: c.config, kind: c.kind, nodes: c.nodes, vcpus, sizeMiB: c.size / MiB, rep: c.rep, ok: false, wallMs: r.wallMs,
    guestMs: NaN, checksum: '', swapOuts: 0, swapIns: 0, evictions: 0, pushes: 0, dsmFaults: 0, note: '' };
  try {
    const res = parseResultOutput(r.stdout);
    row.ok = r.exitCode === 0 && res.verified;
    row.checksum = res.checksum;
    row.guestMs = (Number(res.int('ticks')) / Number(res.int('tbfreq'))) * 1000;
    const perNode = (JSON.parse(await readFile(statsFile, 'utf8')) as { perNode: NodeStats[] }).perNode;
    for (const n of perNode) {
      row.swapOuts += n.memory?.swapOuts ?? 0;
      row.swapIns += n.memory?.swapIns ?? 0;
      row.evictions += n.memory?.evictions ?? 0;
      row.pushes += n.memory?.pushes ?? 0;
      if (c.kind === 'dsm') row.dsmFaults += (n.dsm?.readFaults ?? 0) + (n.dsm?.writeFaults ?? 0);
    }
  } catch (e) {
    row.note = r.timedOut ? 'timed out' : `exit ${r.exitCode}: ${(r.stderr.trim().split('\n').pop() ?? String(e)).slice(0, 160)}`;
  }
  return row;
}

type Point = CliffPoint;

function medians(rows: CliffRow[]): Point[] {
  const groups = new Map<string, CliffRow[]>();
  for (const r of rows) {
    const k = `${r.config}|${r.sizeMiB}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const good = g.filter((r) => r.ok).map((r) => r.guestMs);
    const s = good.length ? spreadOf(good) : undefined;
    return { config: g[0]!.config, kind: g[0]!.kind, sizeMiB: g[0]!.sizeMiB, guestMs: s?.median ?? NaN, spread: s?.relSpread ?? NaN, ok: good.length === g.length,
      swapOuts: g.find((r) => r.ok)?.swapOuts ?? 0 };
  });
}

/** Every report file from the rows (also used to re-render a saved results.json). */
export async function writeOutputs(o: CliffOptions, rows: CliffRow[]): Promise<void> {
  const cols = ['config', 'kind', 'nodes', 'vcpus', 'sizeMiB', 'rep', 'ok', 'wallMs', 'guestMs', 'checksum', 'swapOuts', 'swapIns', 'evictions', 'pushes', 'dsmFaults', 'note'] as const;
  await writeFile(join(o.out, 'results.csv'), toCsv(cols, rows as unknown as Record<string, string | number | boolean>[]));
  const pts = medians(rows);
  await writeFile(join(o.out, 'results.json'), `${JSON.stringify({ options: { ...o, unumBin: undefined, repo: undefined }, configurations: describeConfigs(o), runs: rows, medians: pts }, null, 2)}\n`);
  await writeChart(lines({
    title: `${o.workload}: runtime vs working set (node memory ${o.nodeMem / MiB} MiB)`,
    rows: pts.filter((p) => Number.isFinite(p.guestMs)).map((p) => ({ config: p.config, 'working set (MiB)': p.sizeMiB, 'runtime (s)': p.guestMs / 1000 })),
    x: 'working set (MiB)', y: 'runtime (s)', series: 'config', yScale: 'log',
  }), join(o.out, 'runtime'));
  const configs = [...new Set(pts.map((p) => p.config))];
  const sizes = [...new Set(pts.map((p) => p.sizeMiB))].sort((a, b) => a - b);
  const at = (c: string, s: number): Point | undefined => pts.find((p) => p.config === c && p.sizeMiB === s);
  const fmt = (p?: Point): string => (p && Number.isFinite(p.guestMs) ? `${(p.guestMs / 1000).toFixed(2)}${p.ok ? '' : ' (!)'}` : 'failed');
  const table = markdownTable(['working set', ...configs], sizes.map((s) => [`${s} MiB`, ...configs.map((c) => fmt(at(c, s)))]));
  await writeFile(join(o.out, 'table.md'), `Guest runtime in seconds (median of ${o.repeat}; (!) = a run failed)\n\n${table}\n`);
  await writeFile(join(o.out, 'summary.md'), cliffSummary(o, pts));
}
