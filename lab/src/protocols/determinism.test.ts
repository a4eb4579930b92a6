import { describe, expect, it } from 'vitest';
import { determinismByWorkload, describeSpread, differingCounters } from './determinism.js';
import { groupRows } from './lab-groups.js';
import { labRow as row, summaryRows } from '../test-support/lab-rows.js';
import { determinismCell } from './lab-tables.js';
import { labSummary } from './lab-summary.js';

describe('determinism flag', () => {
  it('repeats with identical deterministic counters are not flagged, even if latency and runtime differ', () => {
    const rs = [row({ repeat: 0, guestMs: 10, c: { readFaults: 5, messages: 20, latencyP50Us: 100 } }),
      row({ repeat: 1, guestMs: 30, c: { readFaults: 5, messages: 20, latencyP50Us: 900 } })];
    expect(differingCounters(rs)).toEqual([]);
    const [g] = groupRows(rs);
    expect(determinismCell(g!)).toBe('✓');
  });

  it('flags each differing counter with its range', () => {
    const rs = [row({ c: { writeFaults: 10, bytes: 4096 } }), row({ repeat: 1, c: { writeFaults: 14, bytes: 4096 } }),
      row({ repeat: 2, c: { writeFaults: 12, bytes: 8192 } })];
    const d = differingCounters(rs);
    expect(d).toEqual([{ counter: 'writeFaults', min: 10, max: 14 }, { counter: 'bytes', min: 4096, max: 8192 }]);
    expect(describeSpread(d)).toBe('writeFaults 10–14, bytes 4096–8192');
    expect(determinismCell(groupRows(rs)[0]!)).toBe('✗ writeFaults 10–14, bytes 4096–8192');
  });

  it('ignores failed runs and does not judge a single repeat', () => {
    const rs = [row({ c: { readFaults: 1 } }), row({ repeat: 1, ok: false, c: { readFaults: 99 } })];
    expect(differingCounters(rs)).toEqual([]);
    expect(determinismCell(groupRows(rs)[0]!)).toBe('–');
  });

  it('only groups repeats of the same configuration', () => {
    const rs = [row({ c: { readFaults: 1 } }), row({ repeat: 1, c: { readFaults: 1 } }),
      row({ protocol: 'ivy-fixed', c: { readFaults: 7 } }), row({ protocol: 'ivy-fixed', repeat: 1, c: { readFaults: 8 } })];
    const groups = groupRows(rs);
    expect(groups.map((g) => g.differing.length)).toEqual([0, 1]);
    expect(determinismByWorkload(groups).get('pingpong')).toEqual({ compared: 2, nondeterministic: 1 });
  });

  it('treats different knob values as different configurations', () => {
    const mirage = (mirageMs: number, repeat: number, writeFaults: number) =>
      row({ protocol: 'ivy-dynamic+mirage', knobs: { mirageMs }, repeat, c: { writeFaults } });
    const groups = groupRows([mirage(0.25, 0, 90), mirage(0.25, 1, 90), mirage(5, 0, 12), mirage(5, 1, 12)]);
    expect(groups.map((g) => g.config.variant)).toEqual(['ivy-dynamic+mirage(Δ=0.25ms)', 'ivy-dynamic+mirage(Δ=5ms)']);
    expect(groups.map((g) => g.differing)).toEqual([[], []]); // mixed together, writeFaults would read 12–90
    expect(groups.map((g) => g.config.knobs)).toEqual([{ mirageMs: 0.25 }, { mirageMs: 5 }]);
  });

  it('the summary names deterministic and nondeterministic workloads and the winner with its cause', () => {
    const rs = [
      row({ c: { writeFaults: 100, messages: 400, faults: 100 }, guestMs: 20 }), row({ repeat: 1, c: { writeFaults: 100, messages: 400, faults: 100 }, guestMs: 22 }),
      row({ protocol: 'ivy-dynamic+mirage', c: { writeFaults: 20, messages: 80, faults: 20, holds: 7 }, guestMs: 8 }),
      row({ protocol: 'ivy-dynamic+mirage', repeat: 1, c: { writeFaults: 20, messages: 80, faults: 20, holds: 7 }, guestMs: 9 }),
      row({ workload: 'lock', c: { readFaults: 3 } }), row({ workload: 'lock', repeat: 1, c: { readFaults: 4 } }),
    ];
    const s = labSummary(groupRows(rs), 'ivy-central');
    expect(s).toContain('pingpong (4K, 2 nodes, latency 0): ivy-dynamic+mirage wins (runtime 0.4× of ivy-central) because it cut faults 5.0× (100 → 20)');
    expect(s).toContain('Δ held 7 requests');
    expect(s).toContain('identical across repeats for pingpong');
    expect(s).toContain('they differed for lock (1 of 1 configurations)');
  });

  it('explains a modifier against its own base, and calls equal traffic timing', () => {
    const rs = summaryRows();
    const s = labSummary(groupRows(rs), 'ivy-central');
    expect(s).toContain('ivy-dynamic+mirage wins (runtime 0.3× of ivy-central) because it cut faults 4.0× (100 → 25) against ivy-dynamic');
    expect(s).toContain('lock (4K, 2 nodes, latency 0): ivy-central wins: the baseline itself is fastest; the next, ivy-fixed, takes 1.8× as long, with the same faults, messages and bytes, so the gap is timing');
  });
});
