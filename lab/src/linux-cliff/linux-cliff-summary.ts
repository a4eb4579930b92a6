/**
 * summary.md of the Linux memory-cliff experiment: the configurations and
 * their commands, per working set the medians, the guest's own swap traffic
 * and the DSM faults, the ratios (b)/(a), (c)/(a), (b)/(c), and the
 * published figure they are held against (TidalScale: 60x). Draws no cause
 * from one repeat: with n=1 it says so.
 *
 * @example
 *   await writeFile('summary.md', linuxCliffSummary(options, medians));
 */
import { describeLinuxCliff, type LinuxCliffOptions } from './linux-cliff-configs.js';

export interface LinuxCliffPoint {
  config: string; kind: string; sizeMiB: number; runs: number; failed: number; guestMs: number; spread: number;
  guestSwapUsedKiB: number; unumSwapOuts: number; dsmFaults: number;
}

const MiB = 2 ** 20;
const x = (r: number): string => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a (a run failed)');
const n = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');

export function linuxCliffSummary(o: LinuxCliffOptions, pts: LinuxCliffPoint[]): string {
  const configs = describeLinuxCliff(o);
  const at = (kind: string, s: number): LinuxCliffPoint | undefined => pts.find((p) => p.kind === kind && p.sizeMiB === s);
  const ms = (kind: string, s: number): number => at(kind, s)?.guestMs ?? NaN;
  const sizes = [...new Set(pts.map((p) => p.sizeMiB))].sort((a, b) => a - b);
  const out = [`# Memory cliff with Linux as the guest: memscan scope=local, node memory ${o.nodeMem / MiB} MiB, ${o.nodes} nodes in (c)`, ''];
  out.push(`n = ${o.repeat} run${o.repeat > 1 ? 's' : ''} per point; runtimes are ${o.repeat > 1 ? 'medians' : 'single runs'} of the guest-timed region (RESULT ticks / tbfreq, boot excluded).`, '');
  for (const c of configs) out.push(`- ${c.config}: \`${c.command}\``);
  out.push('', '| working set | config | runs ok | runtime (s) | spread | guest swap in use after the run (KiB) | unum swap-outs | DSM faults |', '|---|---|---:|---:|---:|---:|---:|---:|');
  for (const s of sizes)
    for (const c of configs) {
      const p = at(c.kind, s);
      out.push(`| ${s} MiB | ${c.config} | ${p ? `${p.runs}/${p.runs + p.failed}` : '0'} | ${p && Number.isFinite(p.guestMs) ? (p.guestMs / 1000).toFixed(2) : 'failed'} | ${p && Number.isFinite(p.spread) ? `${(p.spread * 100).toFixed(0)}%` : '-'} | ${n(p?.guestSwapUsedKiB ?? NaN)} | ${n(p?.unumSwapOuts ?? NaN)} | ${n(p?.dsmFaults ?? NaN)} |`);
    }
  out.push('', '| working set | (b)/(a) | (c)/(a) | (b)/(c) |', '|---|---:|---:|---:|');
  for (const s of sizes) {
    const [a, b, c] = [ms('baseline', s), ms('linux-swap', s), ms('dsm', s)];
    out.push(`| ${s} MiB | ${x(b / a)} | ${x(c / a)} | ${x(b / c)} |`);
  }
  const big = sizes.at(-1);
  if (big !== undefined) {
    const bc = ms('linux-swap', big) / ms('dsm', big);
    out.push('', `Against the published figure: TidalScale reports a MySQL job going from 7 hours to 7 minutes (60x) when two 96 GB nodes replaced one 128 GB server. `
      + `Here, at ${big} MiB (${(big / (o.nodeMem / MiB)).toFixed(1)}x node memory), aggregation vs Linux's own swap is ${x(bc)}`
      + `${o.repeat < 2 ? ' from one run per point: a measurement, not yet a median, and no cause is claimed from it' : ''}.`);
  }
  return `${out.join('\n')}\n`;
}
