import { describe, expect, it } from 'vitest';
import { cliffSummary, type CliffPoint } from '../memory-cliff/cliff-summary.js';
import { configName, type CliffOptions } from '../memory-cliff/cliff-configs.js';
import { groupRows } from './lab-groups.js';
import { summaryRows } from '../test-support/lab-rows.js';
import { labSummary } from './lab-summary.js';

describe('summaries from a single repeat claim no cause', () => {
  const rows = summaryRows();

  it('protocol lab, --repeat 1: says n=1 and no "wins because" or "so the gap is timing"', () => {
    const s = labSummary(groupRows(rows), 'ivy-central', undefined, 1);
    expect(s).toMatch(/^n=1 \(--repeat 1\): one run per configuration, so these are observations, not causes/);
    expect(s).toContain('pingpong (4K, 2 nodes, latency 0, n=1): ivy-dynamic+mirage was fastest (runtime 0.3× of ivy-central) and cut faults 2.0× (50 → 25) against ivy-central');
    expect(s).toContain('lock (4K, 2 nodes, latency 0, n=1): ivy-central was fastest (the baseline itself; ivy-fixed took 1.8× as long) with the same faults, messages and bytes as ivy-fixed; one run each cannot say why');
    expect(s).not.toMatch(/because|wins|so the gap is/);
  });

  it('protocol lab, --repeat 3: the causal sentences stay', () => {
    const s = labSummary(groupRows(rows), 'ivy-central', undefined, 3);
    expect(s).toContain('ivy-dynamic+mirage wins (runtime 0.3× of ivy-central) because it cut faults 4.0× (100 → 25) against ivy-dynamic');
    expect(s).not.toContain('n=1');
  });

  it('memory cliff, --repeat 1: the cliff, the bars and the runtime line say n=1', () => {
    const o: CliffOptions = { workload: 'memscan', sizes: [4, 16].map((m) => m * 2 ** 20), nodeMem: 8 * 2 ** 20, nodes: [2], vcpus: 2, placement: 'rr',
      pagePlacement: 'first-touch', protocol: 'ivy-dynamic', unit: '4K', swapDevice: 'hdd', repeat: 1, iters: 1, out: '', unumBin: '', repo: '', timeoutMs: 1 };
    const pt = (kind: 'baseline' | 'swap' | 'dsm', sizeMiB: number, guestMs: number, swapOuts = 0): CliffPoint =>
      ({ config: configName(o, kind, 2), kind, sizeMiB, guestMs, spread: 0, ok: true, swapOuts });
    const pts = [pt('baseline', 4, 10), pt('swap', 4, 11), pt('dsm', 4, 12), pt('baseline', 16, 40), pt('swap', 16, 400, 99), pt('dsm', 16, 60)];
    const one = cliffSummary(o, pts);
    expect(one).toMatch(/Cliff: at 16 MiB .* 10\.00x slower than \(a\) \(n=1: one run per point/);
    expect(one).toContain('Bars at working set = 2x node memory (16 MiB), n=1:');
    expect(one).toContain('one run per point (n=1).');
    const three = cliffSummary({ ...o, repeat: 3 }, pts);
    expect(three).not.toContain('n=1');
    expect(three).toContain('median of 3 repeats.');
  });
});
