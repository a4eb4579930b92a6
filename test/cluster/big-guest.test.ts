// A 4 GiB guest (the dashboard's "cost" bar, and frame pools above 2 GiB of
// wasm memory, where the engine's addresses no longer fit a signed i32).
import { describe, expect, it } from 'vitest';
import { clusterUnavailableReason, runUnum } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping 4 GiB guest: ${skip}`);

describe.skipIf(skip !== undefined)('4 GiB guest', () => {
  it('runs jacobi across 2 nodes with --mem 4G (each node offers the most one node can hold)', async () => {
    const r = await runUnum('guest/bin/jacobi.elf', { vcpus: 2, nodes: 2, mem: '4G', append: 'n=128 iters=5', timeoutMs: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^RESULT name=jacobi .*verify=ok/m);
  }, 150_000);
});
