/**
 * Runs the Linux memory-cliff experiment (linux-cliff-configs.ts) and writes
 * results.csv/json, runtime.svg/png (bars per working set, log scale),
 * table.md and summary.md (linux-cliff-summary.ts). The swap disk of (b) and
 * the agents' swap files live in a scratch directory under --out, removed at
 * the end, also after Ctrl-C.
 *
 * @example
 *   await runLinuxCliff({ sizes: [96 << 20], nodeMem: 48 << 20, nodes: 2, vcpus: 2, ... });
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runChild, type ChildResult } from '../child-run.js';
import { toCsv } from '../csv.js';
import { markdownTable } from '../markdown-table.js';
import { spreadOf } from '../median.js';
import { groupedBars, writeChart } from '../plot.js';
import { RunProgress } from '../progress.js';
import { parseResultOutput } from '../result-line.js';
import { runMatrix } from '../run-matrix.js';
import { describeLinuxCliff, linuxCliffArgv, linuxCliffConfigs, swapBytes, type LinuxCliffConfig, type LinuxCliffOptions } from './linux-cliff-configs.js';
import { linuxCliffSummary, type LinuxCliffPoint } from './linux-cliff-summary.js';

export interface LinuxCliffRow {
  config: string; kind: string; nodes: number; vcpus: number; sizeMiB: number; rep: number; ok: boolean; wallMs: number; guestMs: number;
  checksum: string; guestSwapUsedKiB: number; unumSwapOuts: number; pushes: number; dsmFaults: number; note: string;
}

const MiB = 2 ** 20;

interface NodeStats { memory?: { swapOuts: number; pushes: number }; dsm?: { readFaults: number; writeFaults: number } }

/** The committed initramfs plus /bin/unum-swapon (guest/linux/swap/make-swap-initrd.sh). */
async function swapInitrd(o: LinuxCliffOptions, dir: string): Promise<string> {
  const out = join(dir, 'initrd');
  await promisify(execFile)(join(o.repo, 'guest', 'linux', 'swap', 'make-swap-initrd.sh'), [out, o.initramfs]);
  return out;
}

export async function runLinuxCliff(o: LinuxCliffOptions): Promise<LinuxCliffRow[]> {
  await mkdir(o.out, { recursive: true });
  const scratch = await mkdtemp(join(o.out, '.runs-'));
  const configs = linuxCliffConfigs(o);
  const progress = new RunProgress(configs.length, 'linux-cliff');
  try {
    const initrd = await swapInitrd(o, scratch);
    const rows = await runMatrix(configs, async (c, signal) => {
      const tag = `${c.kind}-${c.size}-${c.rep}`;
      const files = { initrd, swapFile: join(scratch, `${tag}.swap`), stats: join(scratch, `${tag}.json`) };
      if (c.kind === 'linux-swap') {
        await writeFile(files.swapFile, '');
        await truncate(files.swapFile, swapBytes(c.size)); // sparse: the guest writes what it swaps
      }
      const r = await runChild({ argv: linuxCliffArgv(o, c, files), timeoutMs: o.timeoutMs, cwd: o.repo }, signal);
      await rm(files.swapFile, { force: true });
      return rowOf(c, o.vcpus, r, files.stats);
    }, { onResult: (c) => progress.tick(`${c.config} ${c.size / MiB}M`) });
    await writeLinuxCliffOutputs(o, rows);
    return rows;
  } finally {
    progress.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

const meminfoKiB = (out: string, key: string): number => Number(new RegExp(`^${key}: +(\\d+) kB`, 'm').exec(out)?.[1] ?? NaN);

/** Why a run failed, from the guest's console first (an OOM kill says more than the agents' stats table on stderr). */
function failureNote(r: ChildResult, e: unknown): string {
  if (r.timedOut) return 'timed out';
  const oom = /Out of memory: Killed process \d+ \((\w+)\)/.exec(r.stdout);
  if (oom) return `guest OOM killed ${oom[1]}`;
  const status = /^unum\.run: exit \d+/m.exec(r.stdout)?.[0];
  return `exit ${r.exitCode}: ${(status ?? r.stderr.trim().split('\n')[0] ?? String(e)).slice(0, 160)}`;
}

async function rowOf(c: LinuxCliffConfig, vcpus: number, r: ChildResult, statsFile: string): Promise<LinuxCliffRow> {
  const row: LinuxCliffRow = { config: c.config, kind: c.kind, nodes: c.nodes, vcpus, sizeMiB: c.size / MiB, rep: c.rep, ok: false, wallMs: r.wallMs,
    guestMs: NaN, checksum: '', guestSwapUsedKiB: NaN, unumSwapOuts: 0, pushes: 0, dsmFaults: 0, note: '' };
  try {
    const res = parseResultOutput(r.stdout);
    row.ok = r.exitCode === 0 && res.verified && r.stdout.includes('unum.run: exit 0');
    if (!row.ok) row.note = failureNote(r, undefined);
    row.checksum = res.checksum;
    row.guestMs = (Number(res.int('ticks')) / Number(res.int('tbfreq'))) * 1000;
    row.guestSwapUsedKiB = meminfoKiB(r.stdout, 'SwapTotal') - meminfoKiB(r.stdout, 'SwapFree');
    for (const n of (JSON.parse(await readFile(statsFile, 'utf8')) as { perNode: NodeStats[] }).perNode) {
      row.unumSwapOuts += n.memory?.swapOuts ?? 0;
      row.pushes += n.memory?.pushes ?? 0;
      if (c.kind === 'dsm') row.dsmFaults += (n.dsm?.readFaults ?? 0) + (n.dsm?.writeFaults ?? 0); // one node: no peer to fault to
    }
  } catch (e) {
    row.ok = false;
    row.note = failureNote(r, e);
  }
  return row;
}

function medians(rows: LinuxCliffRow[]): LinuxCliffPoint[] {
  const groups = new Map<string, LinuxCliffRow[]>();
  for (const r of rows) groups.set(`${r.config}|${r.sizeMiB}`, [...(groups.get(`${r.config}|${r.sizeMiB}`) ?? []), r]);
  return [...groups.values()].map((g) => {
    const good = g.filter((r) => r.ok);
    const med = (f: (r: LinuxCliffRow) => number): number => spreadOf(good.map(f)).median;
    return { config: g[0]!.config, kind: g[0]!.kind, sizeMiB: g[0]!.sizeMiB, runs: good.length, failed: g.length - good.length,
      guestMs: med((r) => r.guestMs), spread: spreadOf(good.map((r) => r.guestMs)).relSpread,
      guestSwapUsedKiB: med((r) => r.guestSwapUsedKiB), unumSwapOuts: med((r) => r.unumSwapOuts), dsmFaults: med((r) => r.dsmFaults) };
  });
}

/** Every report file from the rows. */
export async function writeLinuxCliffOutputs(o: LinuxCliffOptions, rows: LinuxCliffRow[]): Promise<void> {
  const cols = ['config', 'kind', 'nodes', 'vcpus', 'sizeMiB', 'rep', 'ok', 'wallMs', 'guestMs', 'checksum', 'guestSwapUsedKiB',
    'unumSwapOuts', 'pushes', 'dsmFaults', 'note'] as const;
  await writeFile(join(o.out, 'results.csv'), toCsv(cols, rows as unknown as Record<string, string | number | boolean>[]));
  const pts = medians(rows);
  await writeFile(join(o.out, 'results.json'), `${JSON.stringify({ options: { ...o, unumBin: undefined, repo: undefined },
    configurations: describeLinuxCliff(o), runs: rows, medians: pts }, null, 2)}\n`);
  await writeChart(groupedBars({
    title: `Linux memscan: guest runtime (node memory ${o.nodeMem / MiB} MiB, median of ${o.repeat})`,
    rows: pts.filter((p) => Number.isFinite(p.guestMs)).map((p) => ({ config: p.config, 'working set': `${p.sizeMiB} MiB`, 'runtime (s)': p.guestMs / 1000 })),
    x: 'working set', group: 'config', y: 'runtime (s)', yScale: 'log', baseline: 0.01, // log bars need a floor above 0
  }), join(o.out, 'runtime'));
  const configs = describeLinuxCliff(o).map((c) => c.config);
  const sizes = [...new Set(pts.map((p) => p.sizeMiB))].sort((a, b) => a - b);
  const fmt = (p?: LinuxCliffPoint): string => (p && Number.isFinite(p.guestMs) ? `${(p.guestMs / 1000).toFixed(2)}${p.failed ? ' (!)' : ''}` : 'failed');
  const table = markdownTable(['working set', ...configs],
    sizes.map((s) => [`${s} MiB`, ...configs.map((c) => fmt(pts.find((p) => p.config === c && p.sizeMiB === s)))]));
  await writeFile(join(o.out, 'table.md'), `Guest runtime in seconds (median of ${o.repeat}; (!) = a run failed)\n\n${table}\n`);
  await writeFile(join(o.out, 'summary.md'), linuxCliffSummary(o, pts));
}
