/**
 * summary.md of the memory-cliff experiment: the configurations with their
 * flags, the cliff point (first size where (b) swaps and is 2x slower than (a)), the
 * ratios per size, and the issue's bars at working set = 2x node memory:
 * (c)/(a) <= 2, and (b)/(c) >= 10 with the hdd model (other devices: as measured).
 *
 * @example
 *   await writeFile('summary.md', cliffSummary(options, medians));
 */
import { describeConfigs, type CliffOptions } from './cliff-configs.js';

export interface CliffPoint { config: string; kind: string; sizeMiB: number; guestMs: number; spread: number; ok: boolean; swapOuts: number }

const MiB = 2 ** 20;
const x = (r: number): string => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a (a run failed)');

export function cliffSummary(o: CliffOptions, pts: CliffPoint[]): string {
  const sizes = [...new Set(pts.map((p) => p.sizeMiB))].sort((a, b) => a - b);
  const configs = describeConfigs(o);
  const base = configs.find((c) => c.kind === 'baseline')!.config;
  const swap = configs.find((c) => c.kind === 'swap')!.config;
  const dsms = configs.filter((c) => c.kind === 'dsm').map((c) => c.config);
  const ms = (c: string, s: number): number => pts.find((p) => p.config === c && p.sizeMiB === s)?.guestMs ?? NaN;
  const nm = o.nodeMem / MiB;
  const what = o.workload === 'memscan' ? `memscan scope=${o.scope ?? 'local'}` : o.workload;
  const out: string[] = [`# Memory cliff: ${what}, node memory ${nm} MiB, swap device ${o.swapDevice}${o.linkLatency ? `, link +${o.linkLatency}` : ''}`, ''];
  out.push('Configurations (same vCPUs in each; `--mem` is the footprint + 4 MiB):', '');
  for (const c of configs) out.push(`- ${c.config}: \`${c.command}\``);
  out.push('');
  // The cliff is where (b) swaps and pays for it: a 2x gap without swapping is noise, not the cliff.
  const swapped = (s: number): boolean => (pts.find((p) => p.config === swap && p.sizeMiB === s)?.swapOuts ?? 0) > 0;
  const cliff = sizes.find((s) => swapped(s) && ms(swap, s) / ms(base, s) >= 2);
  // One run per point: a single ratio can be noise, so say n=1 wherever a conclusion is drawn.
  const n1 = o.repeat < 2 ? ' (n=1: one run per point, not a median; rerun with --repeat 3 or more before drawing a conclusion)' : '';
  out.push(cliff === undefined ? `No cliff: (b) did not both swap and run 2x slower than (a) at any size up to ${sizes.at(-1)} MiB${n1}.`
    : `Cliff: at ${cliff} MiB working set (node memory ${nm} MiB) the swapping node (b) is ${x(ms(swap, cliff) / ms(base, cliff))} slower than (a)${n1}.`);
  const short = (c: string): string => c.split(',')[0]!;
  out.push('', `| working set | (b)/(a) | ${dsms.map((c) => `${short(c)} / (a) | (b) / ${short(c)}`).join(' | ')} |`);
  out.push(`|---|---:|${dsms.map(() => '---:|---:|').join('')}`);
  for (const s of sizes) {
    const cells = [`${s} MiB`, x(ms(swap, s) / ms(base, s))];
    for (const c of dsms) cells.push(x(ms(c, s) / ms(base, s)), x(ms(swap, s) / ms(c, s)));
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('', ...barLines(o, sizes, ms, base, swap, dsms));
  out.push('', `Runtime is the guest-timed region (RESULT ticks / tbfreq), ${o.repeat < 2 ? 'one run per point (n=1)' : `median of ${o.repeat} repeats`}.`);
  return `${out.join('\n')}\n`;
}

function barLines(o: CliffOptions, sizes: number[], ms: (c: string, s: number) => number, base: string, swap: string, dsms: string[]): string[] {
  const w = (2 * o.nodeMem) / MiB;
  if (!sizes.includes(w)) return [`Bars: need a working set of 2x node memory (${w} MiB) in --sizes.`];
  const out = [`Bars at working set = 2x node memory (${w} MiB)${o.repeat < 2 ? ', n=1' : ''}:`];
  for (const c of dsms) {
    const ca = ms(c, w) / ms(base, w);
    const bc = ms(swap, w) / ms(c, w);
    out.push(`- ${c.split(',')[0]}: (c)/(a) = ${x(ca)}, bar at most 2x: ${ca <= 2 ? 'met' : 'NOT met'}.`);
    out.push(o.swapDevice === 'hdd'
      ? `- (b)/(c) = ${x(bc)} with the hdd model, bar at least 10x: ${bc >= 10 ? 'met' : 'NOT met'}.`
      : `- (b)/(c) = ${x(bc)} with swap device ${o.swapDevice} (reported as measured; the 10x bar is for hdd).`);
  }
  return out;
}
