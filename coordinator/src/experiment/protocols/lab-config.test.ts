import { describe, expect, it } from 'vitest';
import { configKey, labMatrix, type LabDimensions } from './lab-config.js';
import { parseArgOverrides, workloadArgs } from './lab-workloads.js';

const dims = (seed: number): LabDimensions => ({
  workloads: ['matmul', 'falseshare'], argsOf: (w) => workloadArgs(w, 'tiny'), protocols: ['ivy-central', 'ivy-fixed'],
  units: [{ text: '4K', bytes: 4096 }, { text: '64K', bytes: 65536 }], nodes: [2], vcpusPerNode: 1, linkLatencies: ['0', '50us'],
  pagePlacements: ['node0'], repeat: 3, seed,
});

describe('lab matrix', () => {
  it('has every combination × repeats, in an order fixed by the seed', () => {
    const m = labMatrix(dims(7));
    expect(m).toHaveLength(2 * 2 * 2 * 2 * 3);
    expect(new Set(m.map(configKey)).size).toBe(16);
    expect(labMatrix(dims(7))).toEqual(m);
    expect(labMatrix(dims(8)).map(configKey)).not.toEqual(m.map(configKey));
  });

  it('workload args: preset, then --args overrides key by key', () => {
    expect(workloadArgs('matmul', 'small')).toBe('n=64 iters=1');
    const o = parseArgOverrides(['matmul:n=32', 'matmul:iters=4,threads=2']);
    expect(workloadArgs('matmul', 'small', o.get('matmul'))).toBe('n=32 iters=4 threads=2');
    expect(() => parseArgOverrides(['nosuch:n=1'])).toThrow(/WORKLOAD/);
    expect(() => parseArgOverrides(['matmul:n'])).toThrow(/key=value/);
  });
});
