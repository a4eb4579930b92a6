import { describe, expect, it } from 'vitest';
import { configKey, knobSettings, labMatrix, runId, type LabDimensions } from './lab-config.js';
import { parseArgOverrides, workloadArgs } from './lab-workloads.js';

const dims = (seed: number): LabDimensions => ({
  workloads: ['matmul', 'falseshare'], argsOf: (w) => workloadArgs(w, 'tiny'), protocols: ['ivy-central', 'ivy-fixed'],
  units: [{ text: '4K', bytes: 4096 }, { text: '64K', bytes: 65536 }], nodes: [2], vcpusPerNode: 1, linkLatencies: ['0', '50us'],
  pagePlacements: ['node0'], repeat: 3, seed, knobs: {},
});

describe('lab matrix', () => {
  it('has every combination × repeats, in an order fixed by the seed', () => {
    const m = labMatrix(dims(7));
    expect(m).toHaveLength(2 * 2 * 2 * 2 * 3);
    expect(new Set(m.map(configKey)).size).toBe(16);
    expect(labMatrix(dims(7))).toEqual(m);
    expect(labMatrix(dims(8)).map(configKey)).not.toEqual(m.map(configKey));
  });

  it('a knob list multiplies only the protocols that read the knob, and labels their rows', () => {
    const knobs = { mirageMs: [0.25, 2], prefetchUnits: [1, 8] };
    expect(knobSettings('ivy-central', knobs)).toEqual([{}]);
    expect(knobSettings('ivy-dynamic+mirage', knobs)).toEqual([{ mirageMs: 0.25 }, { mirageMs: 2 }]);
    expect(knobSettings('ivy-dynamic+prefetch+mirage', knobs)).toHaveLength(4);
    const m = labMatrix({ ...dims(1), workloads: ['falseshare'], units: [{ text: '4K', bytes: 4096 }], linkLatencies: ['0'], repeat: 2,
      protocols: ['ivy-central', 'ivy-dynamic+mirage', 'home-based'], knobs: { mirageMs: [0.25, 2], homeMigrateAfter: [1] } });
    expect(m).toHaveLength((1 + 2 + 1) * 2);
    expect([...new Set(m.map((c) => c.variant))].sort()).toEqual(['home-based(migrate after 1)', 'ivy-central', 'ivy-dynamic+mirage(Δ=0.25ms)', 'ivy-dynamic+mirage(Δ=2ms)']);
    expect(new Set(m.map(configKey)).size).toBe(4); // different Δ: different configurations, so the determinism check never mixes them
    expect(new Set(m.map(runId)).size).toBe(8);
    expect(m.find((c) => c.variant.includes('0.25'))!.knobs).toEqual({ mirageMs: 0.25 });
  });

  it('workload args: preset, then --args overrides key by key', () => {
    expect(workloadArgs('matmul', 'small')).toBe('n=64 iters=1');
    const o = parseArgOverrides(['matmul:n=32', 'matmul:iters=4,threads=2']);
    expect(workloadArgs('matmul', 'small', o.get('matmul'))).toBe('n=32 iters=4 threads=2');
    expect(() => parseArgOverrides(['nosuch:n=1'])).toThrow(/WORKLOAD/);
    expect(() => parseArgOverrides(['matmul:n'])).toThrow(/key=value/);
  });
});
