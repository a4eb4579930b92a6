// Every workload, small sizes, under QEMU with 1 and 2 harts: it must verify
// its own result, exit 0, and print the same checksum in both runs.
import { describe, expect, it } from 'vitest';
import { qemuUnavailableReason, runQemu } from '../support/qemu.js';
import { parseResultOutput, type ResultLine } from '../support/result-line.js';
import { guestElf } from './guest-paths.js';

const skip = qemuUnavailableReason();
if (skip) console.warn(`skipping guest workload tests: ${skip}`);

const CASES: { name: string; append: string; maxHarts?: number }[] = [
  { name: 'memscan', append: 'size=1M iters=2' },
  { name: 'memscan', append: 'size=1M iters=2 scope=local' },
  { name: 'hashjoin', append: 'size=1M iters=2' },
  { name: 'matmul', append: 'n=48 iters=2' },
  { name: 'jacobi', append: 'n=96 iters=6' },
  { name: 'radix', append: 'size=256K iters=2' },
  { name: 'falseshare', append: 'count=20000 iters=2' },
  { name: 'pingpong', append: 'rounds=2000', maxHarts: 2 },
  { name: 'lock', append: 'count=2000 cs=8 iters=2' },
  { name: 'lock', append: 'count=2000 cs=8 iters=2 kind=spin' },
  { name: 'stream', append: 'size=768K iters=2' },
];

async function run(name: string, smp: number, append: string): Promise<ResultLine> {
  const r = await runQemu(guestElf(name), { smp, memory: '128M', append, timeoutMs: 30_000 });
  expect(r.timedOut, `${name} -smp ${smp} timed out; output:\n${r.stdout}`).toBe(false);
  expect(r.exitCode, `${name} -smp ${smp} output:\n${r.stdout}`).toBe(0);
  const result = parseResultOutput(r.stdout);
  expect(result.name).toBe(name);
  expect(result.verified).toBe(true);
  return result;
}

describe.skipIf(skip !== undefined)('guest workloads under QEMU', () => {
  for (const c of CASES) {
    it(`${c.name} ${c.append}: verifies on 1, 2 and 4 harts with one checksum`, async () => {
      const one = await run(c.name, 1, c.append);
      const two = await run(c.name, 2, c.append);
      const four = await run(c.name, 4, c.append);
      expect(one.harts).toBe(1);
      expect(two.harts).toBe(Math.min(2, c.maxHarts ?? 2));
      expect(four.harts).toBe(Math.min(4, c.maxHarts ?? 4));
      expect(two.checksum).toBe(one.checksum);
      expect(four.checksum).toBe(one.checksum);
      expect(one.int('ticks')).toBeGreaterThan(0n);
    });
  }

  it('threads= picks fewer harts than the machine has, same checksum', async () => {
    const all = await run('radix', 2, 'size=64K iters=1');
    const one = await run('radix', 2, 'size=64K iters=1 threads=1');
    expect(one.harts).toBe(1);
    expect(one.checksum).toBe(all.checksum);
  });

  it('memscan scope=local (random reads inside each thread\'s partition) gives scope=global\'s checksum', async () => {
    const global = await run('memscan', 4, 'size=1000K iters=2');
    const local = await run('memscan', 4, 'size=1000K iters=2 scope=local');
    expect(local.checksum).toBe(global.checksum);
  });

  it('pingpong reports round-trip latency', async () => {
    const r = await run('pingpong', 2, 'rounds=1000');
    expect(r.int('rounds')).toBe(1000n);
    expect(r.int('rt_ns')).toBeGreaterThan(0n);
  });

  it('falseshare reports both phases', async () => {
    const r = await run('falseshare', 2, 'count=10000 iters=1 mode=both');
    expect(r.int('shared_ticks')).toBeGreaterThan(0n);
    expect(r.int('padded_ticks')).toBeGreaterThan(0n);
  });
});
