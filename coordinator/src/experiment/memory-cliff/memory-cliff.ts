/**
 * The memory-cliff experiment: for each working-set size, (a) one node with
 * memory to spare, (b) one node capped at --node-mem swapping to its swap
 * file, (c) N capped nodes aggregated by the DSM, each an `unum run --nodes`
 * child. Writes results.csv/json, runtime.svg/png (one line per
 * configuration), table.md and summary.md (the cliff point and the ratios).
 *
 * @example
 *   await runMemoryCliff({ workload: 'memscan', sizes: [16 << 20, 32 << 20], nodeMem: 32 << 20, nodes: [2], ... });
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChild } from '../child-run.js';
import { toCsv } from '../csv.js';
import { markdownTable } from '../markdown-table.js';
import { spreadOf } from '../median.js';
import { lines, writeChart } from '../plot.js';
import { RunProgress } from '../progress.js';
import { parseResultOutput } from '../result-line.js';
import { runMatrix } from '../run-matrix.js';

export const CLIFF_WORKLOADS = ['memscan', 'hashjoin'] as const;
export type CliffWorkload = (typeof CLIFF_WORKLOADS)[number];

export interface CliffOptions {
  workload: CliffWorkload;
  sizes: number[];
  nodeMem: number;
  /** Aggregated configurations: node counts above 1. */
  nodes: number[];
  swapDevice: string;
  linkLatency?: string;
  repeat: number;
  iters: number;
  out: string;
  unumBin: string;
  repo: string;
  timeoutMs: number;
}

export interface CliffConfig { config: string; kind: 'baseline' | 'swap' | 'dsm'; nodes: number; size: number; rep: number }

export interface CliffRow {
  config: string; kind: string; nodes: number; sizeMiB: number; rep: number; ok: boolean;
  wallMs: number; guestMs: number; checksum: string; swapOuts: number; swapIns: number; evictions: number; pushes: number; note: string;
}

const MiB = 2 ** 20;
/** Guest RAM for a working set: the workload's footprint plus the image, stacks and FDT (QEMU needs ~2 MiB). */
const guestMem = (w: CliffWorkload, size: number): number => Math.ceil(((w === 'hashjoin' ? 1.7 : 1) * size + 4 * MiB) / MiB) * MiB;

export function cliffConfigs(o: CliffOptions): CliffConfig[] {
  const out: CliffConfig[] = [];
  for (let rep = 0; rep < o.repeat; rep++) {
    for (const size of o.sizes) {
      out.push({ config: '(a) 1 node, memory to spare', kind: 'baseline', nodes: 1, size, rep });
      out.push({ config: `(b) 1 node, ${o.nodeMem / MiB}M + swap (${o.swapDevice})`, kind: 'swap', nodes: 1, size, rep });
      for (const n of o.nodes) out.push({ config: `(c) ${n} nodes x ${o.nodeMem / MiB}M, DSM`, kind: 'dsm', nodes: n, size, rep });
    }
  }
  return out;
}

function argvOf(o: CliffOptions, c: CliffConfig, statsFile: string, swapDir: string): string[] {
  const mem = guestMem(o.workload, c.size);
  const argv = [process.execPath, o.unumBin, 'run', join(o.repo, 'guest', 'bin', `${o.workload}.elf`), '--nodes', String(c.nodes),
    '--vcpus', '1', '--mem', `${mem / MiB}M`, '--stats', statsFile, '--swap-dir', swapDir, '--swap-device', o.swapDevice];
  if (c.kind !== 'baseline') argv.push('--node-mem', `${o.nodeMem / MiB}M`);
  if (o.linkLatency) argv.push('--link-latency', o.linkLatency);
  return [...argv, '--', `size=${c.size / MiB}M`, `iters=${o.iters}`];
}

interface NodeStats { memory?: { swapOuts: number; swapIns: number; evictions: number; pushes: number } }

export async function runMemoryCliff(o: CliffOptions): Promise<CliffRow[]> {
  await mkdir(o.out, { recursive: true });
  const scratch = await mkdtemp(join(o.out, '.runs-'));
  const configs = cliffConfigs(o);
  const progress = new RunProgress(configs.length, 'memory-cliff');
  try {
    const rows = await runMatrix(configs, async (c, signal) => {
      const stats = join(scratch, `${c.kind}-${c.nodes}-${c.size}-${c.rep}.json`);
      const r = await runChild({ argv: argvOf(o, c, stats, scratch), timeoutMs: o.timeoutMs, cwd: o.repo }, signal);
      return rowOf(c, r, stats);
    }, { onResult: (c) => progress.tick(`${c.config} ${c.size / MiB}M`) });
    await writeOutputs(o, rows);
    return rows;
  } finally {
    progress.stop();
    await rm(scratch, { recursive: true, force: true }); // swap files live here too: gone even after Ctrl-C
  }
}

async function rowOf(c: CliffConfig, r: Awaited<ReturnType<typeof runChild>>, statsFile: string): Promise<CliffRow> {
  const row: CliffRow = { config: c.config, kind: c.kind, nodes: c.nodes, sizeMiB: c.size / MiB, rep: c.rep, ok: false, wallMs: r.wallMs,
    guestMs: NaN, checksum: '', swapOuts: 0, swapIns: 0, evictions: 0, pushes: 0, note: '' };
  try {
    const res = parseResultOutput(r.stdout);
    row.ok = r.exitCode === 0 && res.verified;
    row.checksum = res.checksum;
    row.guestMs = (Number(res.int('ticks')) / Number(res.int('tbfreq'))) * 1000;
    const { readFile } = await import('node:fs/promises');
    const perNode = (JSON.parse(await readFile(statsFile, 'utf8')) as { perNode: NodeStats[] }).perNode;
    for (const n of perNode) {
      row.swapOuts += n.memory?.swapOuts ?? 0;
      row.swapIns += n.memory?.swapIns ?? 0;
      row.evictions += n.memory?.evictions ?? 0;
      row.pushes += n.memory?.pushes ?? 0;
    }
  } catch (e) {
    row.note = r.timedOut ? 'timed out' : `exit ${r.exitCode}: ${(r.stderr.trim().split('\n').pop() ?? String(e)).slice(0, 160)}`;
  }
  return row;
}

interface Point { config: string; kind: string; sizeMiB: number; guestMs: number; spread: number; ok: boolean }

function medians(rows: CliffRow[]): Point[] {
  const groups = new Map<string, CliffRow[]>();
  for (const r of rows) {
    const k = `${r.config}|${r.sizeMiB}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const good = g.filter((r) => r.ok).map((r) => r.guestMs);
    const s = good.length ? spreadOf(good) : undefined;
    return { config: g[0]!.config, kind: g[0]!.kind, sizeMiB: g[0]!.sizeMiB, guestMs: s?.median ?? NaN, spread: s?.relSpread ?? NaN, ok: good.length === g.length };
  });
}

async function writeOutputs(o: CliffOptions, rows: CliffRow[]): Promise<void> {
  const cols = ['config', 'kind', 'nodes', 'sizeMiB', 'rep', 'ok', 'wallMs', 'guestMs', 'checksum', 'swapOuts', 'swapIns', 'evictions', 'pushes', 'note'] as const;
  await writeFile(join(o.out, 'results.csv'), toCsv(cols, rows as unknown as Record<string, string | number | boolean>[]));
  const pts = medians(rows);
  await writeFile(join(o.out, 'results.json'), `${JSON.stringify({ options: { ...o, unumBin: undefined, repo: undefined }, runs: rows, medians: pts }, null, 2)}\n`);
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
  await writeFile(join(o.out, 'summary.md'), summaryOf(o, pts, sizes, configs));
}

function summaryOf(o: CliffOptions, pts: Point[], sizes: number[], configs: string[]): string {
  const base = configs.find((c) => c.startsWith('(a)'))!;
  const swap = configs.find((c) => c.startsWith('(b)'))!;
  const ms = (c: string, s: number): number => pts.find((p) => p.config === c && p.sizeMiB === s)?.guestMs ?? NaN;
  const nm = o.nodeMem / MiB;
  const cliff = sizes.find((s) => ms(swap, s) / ms(base, s) >= 2);
  const lines: string[] = [`# Memory cliff: ${o.workload}, node memory ${nm} MiB, swap device ${o.swapDevice}${o.linkLatency ? `, link +${o.linkLatency}` : ''}`, ''];
  lines.push(cliff === undefined ? `No cliff: (b) stayed within 2x of (a) at every size up to ${sizes.at(-1)} MiB.`
    : `Cliff: at ${cliff} MiB working set (node memory ${nm} MiB) the swapping node (b) is ${(ms(swap, cliff) / ms(base, cliff)).toFixed(1)}x slower than (a).`);
  lines.push('', '| working set | (b)/(a) | ' + configs.filter((c) => c.startsWith('(c)')).map((c) => `${c} / (a) | (b) / ${c}`).join(' | ') + ' |');
  lines.push('|---|---|' + configs.filter((c) => c.startsWith('(c)')).map(() => '---|---|').join(''));
  for (const s of sizes) {
    const cells = [`${s} MiB`, (ms(swap, s) / ms(base, s)).toFixed(2)];
    for (const c of configs.filter((x) => x.startsWith('(c)'))) cells.push((ms(c, s) / ms(base, s)).toFixed(2), (ms(swap, s) / ms(c, s)).toFixed(2));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('', 'Runtime is the guest-timed region (RESULT ticks / tbfreq), median over repeats.');
  return `${lines.join('\n')}\n`;
}
