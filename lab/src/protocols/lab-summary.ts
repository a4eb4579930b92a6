/**
 * summary.md: which variant wins per workload and setting, and why, in
 * words generated from the counters: the runtime ratio to the baseline,
 * the counter the winner cut most, what its mechanism did (Mirage holds,
 * prefetched copies, updates, home moves), whether the gap is within the
 * run-to-run spread, and which workloads gave the same counters on every
 * repeat.
 */
import { determinismByWorkload } from './determinism.js';
import { settingOf, type LabGroup } from './lab-groups.js';
import type { LabCounters } from './lab-row.js';

/** Traffic counters a variant can cut, in the order they explain a runtime difference. */
const CAUSES: { key: keyof LabCounters; words: string }[] = [
  { key: 'faults', words: 'faults' },
  { key: 'writeFaults', words: 'write faults' },
  { key: 'readFaults', words: 'read faults' },
  { key: 'invalidations', words: 'invalidations' },
  { key: 'messages', words: 'messages' },
  { key: 'bytes', words: 'bytes sent' },
];

const ratio = (a: number, b: number): string => `${(a / b).toFixed(a / b >= 10 ? 0 : a / b < 0.1 ? 3 : 1)}×`;

/**
 * "write faults 5.0× (812 → 162)": the fault or traffic counter the winner cut
 * most against `base`, if any by ≥ 1.2×; forwards count only when nothing
 * else changed (they are a property of the manager scheme, not a saving).
 */
export function biggestCut(winner: LabCounters, base: LabCounters): string | undefined {
  const pick = (causes: typeof CAUSES): string | undefined => {
    let best: { words: string; r: number; from: number; to: number } | undefined;
    for (const c of causes) {
      const from = base[c.key], to = winner[c.key];
      if (from <= 0) continue;
      const r = from / Math.max(to, 1);
      if (r >= 1.2 && (!best || r > best.r)) best = { words: c.words, r, from, to };
    }
    return best && `cut ${best.words} ${best.r.toFixed(best.r >= 10 ? 0 : 1)}× (${Math.round(best.from)} → ${Math.round(best.to)})`;
  };
  return pick(CAUSES) ?? pick([{ key: 'forwards', words: 'forwarded requests' }]);
}

/** The deterministic counters are the same (within 2%): a runtime gap between the two is timing, not protocol traffic. */
export function sameTraffic(a: LabCounters, b: LabCounters): boolean {
  return (['faults', 'messages', 'bytes'] as const).every((k) => Math.abs(a[k] - b[k]) <= 0.02 * Math.max(a[k], b[k], 1));
}

/** What the variant's own mechanism did in this run, from its counters. */
export function mechanism(protocol: string, c: LabCounters): string | undefined {
  const parts: string[] = [];
  if (protocol.includes('mirage')) parts.push(`Δ held ${Math.round(c.holds)} requests, so an owner kept its unit for a while instead of handing it back at once`);
  if (protocol.includes('prefetch')) parts.push(`${Math.round(c.pushesInstalled)} prefetched copies were installed before they were touched`);
  if (protocol.includes('update')) parts.push(`${Math.round(c.updatesSent)} updates refreshed readers without a fault`);
  if (protocol.includes('own-read')) parts.push('a read fault took ownership, so the following write did not fault again');
  if (protocol.startsWith('home-based')) parts.push(`${Math.round(c.recalls)} recalls and ${Math.round(c.homeMigrations)} home moves`);
  return parts.length ? parts.join('; ') : undefined;
}

/** The base of a variant name (`ivy-dynamic+mirage` → `ivy-dynamic`). */
const baseOf = (protocol: string): string => protocol.split('+')[0]!;

/**
 * One sentence per workload and setting. `single`: one run per configuration
 * (n=1): the sentence says what was measured and claims no cause, since one
 * run cannot tell a protocol's effect from run-to-run noise.
 */
function sentence(gs: readonly LabGroup[], baseline: string, single = false): string | undefined {
  const good = gs.filter((g) => g.repeats && g.counters);
  if (!good.length) return undefined;
  const byTime = [...good].sort((a, b) => a.runtime.median - b.runtime.median);
  const win = byTime[0]!;
  const base = good.find((g) => g.config.protocol === baseline);
  const head = single ? `${win.workload} (${settingOf(win)}, n=1): ${win.config.variant} was fastest` : `${win.workload} (${settingOf(win)}): ${win.config.variant} wins`;
  if (!base) return `${head} (no ${baseline} run to compare with)`;
  if (single) return singleRun(head, byTime, win, base);
  if (win === base) {
    const second = byTime[1];
    if (!second) return `${head} (the only variant)`;
    const why = sameTraffic(base.counters!, second.counters!) ? 'with the same faults, messages and bytes, so the gap is timing, not traffic'
      : ((c) => (c ? `and against it the baseline ${c}` : 'with no counter 1.2× apart'))(biggestCut(base.counters!, second.counters!));
    return `${head}: the baseline itself is fastest; the next, ${second.config.variant}, takes ${ratio(second.runtime.median, base.runtime.median)} as long, ${why}`;
  }
  // Explain a modifier against its own base when the run has it (mirage vs plain ivy-dynamic), else against the baseline.
  const ref = good.find((g) => g.config.protocol === baseOf(win.config.protocol) && g !== win) ?? base;
  const overlap = win.runtime.max >= base.runtime.min;
  const cut = biggestCut(win.counters!, ref.counters!);
  const how = mechanism(win.config.protocol, win.counters!);
  const against = ref === base ? '' : ` against ${ref.config.variant}`;
  const why = cut ? `because it ${cut}${against}`
    : sameTraffic(win.counters!, ref.counters!) ? `with the same faults, messages and bytes as ${ref.config.variant}, so the gap is timing, not traffic`
      : `with no counter cut by 1.2× or more${against}`;
  return `${head} (runtime ${ratio(win.runtime.median, base.runtime.median)} of ${baseline}${overlap ? ', within the run-to-run spread' : ''}) ${why}` +
    (how ? ` — ${how}` : '');
}

/** n=1: what one run of each showed, in words that claim no cause. */
function singleRun(head: string, byTime: readonly LabGroup[], win: LabGroup, base: LabGroup): string {
  const other = win === base ? byTime[1] : base;
  if (!other) return `${head} (the only variant)`;
  const [fast, slow] = [win.counters!, other.counters!];
  const cut = biggestCut(fast, slow);
  const traffic = sameTraffic(fast, slow) ? `with the same faults, messages and bytes as ${other.config.variant}`
    : cut ? `and ${cut} against ${other.config.variant}` : `with no counter 1.2× apart from ${other.config.variant}`;
  const time = win === base ? `the baseline itself; ${other.config.variant} took ${ratio(other.runtime.median, win.runtime.median)} as long`
    : `runtime ${ratio(win.runtime.median, base.runtime.median)} of ${base.config.variant}`;
  const how = win === base ? undefined : mechanism(win.config.protocol, win.counters!);
  return `${head} (${time}) ${traffic}${how ? ` — ${how}` : ''}; one run each cannot say why`;
}

/**
 * `quantum`: the runs were in lockstep mode (counters repeat by construction; a difference is a bug).
 * `repeat`: runs per configuration asked for; 1 makes every sentence an n=1 observation, not a cause.
 */
export function labSummary(groups: readonly LabGroup[], baseline: string, quantum?: number, repeat?: number): string {
  const sentences: string[] = [];
  const single = repeat !== undefined && repeat < 2;
  const keys = [...new Set(groups.map((g) => `${g.workload}\u0000${settingOf(g)}`))];
  for (const k of keys) {
    const s = sentence(groups.filter((g) => `${g.workload}\u0000${settingOf(g)}` === k), baseline, single);
    if (s) sentences.push(s);
  }
  const det = determinismByWorkload(groups);
  const same = [...det].filter(([, d]) => d.compared && !d.nondeterministic).map(([w]) => w);
  const differ = [...det].filter(([, d]) => d.nondeterministic).map(([w, d]) => `${w} (${d.nondeterministic} of ${d.compared} configurations)`);
  const why = quantum
    ? ', which lockstep mode should rule out: please report it with results.json'
    : ', whose sharing depends on thread timing (spins, lock hand-offs, races for a unit), so compare those by medians only or rerun with --deterministic';
  const detText = (det.size === 0 ? 'Determinism was not checked (one repeat per configuration).'
    : `Deterministic counters (faults, invalidations, messages, bytes, forwards) were identical across repeats for ${same.length ? same.join(', ') : 'no workload'}` +
      `${differ.length ? `; they differed for ${differ.join(', ')}${why}` : ''}.`) +
    (quantum ? ` Runs were in lockstep mode (quantum ${quantum} instructions): runtimes are the guest's virtual time (instructions at a nominal 100 MIPS, plus the quanta a hart waits on faults), exact across repeats, not wall time.` : '');
  const failed = groups.reduce((a, g) => a + g.failed, 0);
  const lead = (single ? 'n=1 (--repeat 1): one run per configuration, so these are observations, not causes; rerun with --repeat 3 or more to compare medians and spread. ' : '') +
    (sentences.length ? `${sentences.join('. ')}. ` : 'No configuration had a successful run. ');
  return `${lead}${detText}${failed ? ` ${failed} run(s) failed; see results.json.` : ''}\n`;
}
