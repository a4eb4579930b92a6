/**
 * A hart that retires nothing (pc 0 is not RAM, and mtvec = 0 after reset, so
 * every fetch faults into the same fault) must still acknowledge an epoch and
 * stop when asked: run() counts traps as steps, so its checks still come
 * every 1024 of them. Runs in a worker so a regression times out instead of
 * hanging the test process.
 */
import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { createNodeMemory, mapAllRam } from './memory.js';
import { bumpEpoch, waitForEpoch } from './handshake.js';
import { loadCoreModule } from './core.js';
import { HART_BASE, H_IN_GUEST, H_STOP, H_MCAUSE, H_PC, H_INSTRET } from './layout.js';
import type { HartJob, HartResult } from './test-support/hart-worker.js';

// Workers run compiled JS: `npx tsc -b vcpu` first.
const WORKER = new URL('../dist/test-support/hart-worker.js', import.meta.url);

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('a hart in a trap loop', () => {
  it('acknowledges an epoch and halts on stop', async () => {
    const memory = createNodeMemory({ ramBytes: 1 << 20 });
    mapAllRam(memory);
    const job: HartJob = { module: await loadCoreModule(), memory, hartId: 0, entry: 0n };
    const worker = new Worker(WORKER, { workerData: job });
    const done = new Promise<HartResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const i32 = new Int32Array(memory.buffer);
    const dv = new DataView(memory.buffer);
    try {
      const inGuest = async (): Promise<void> => {
        while (Atomics.load(i32, (HART_BASE + H_IN_GUEST) >> 2) === 0) await new Promise((r) => setTimeout(r, 5));
      };
      await within(inGuest(), 5000, 'hart entering run()');
      await within(waitForEpoch(memory, bumpEpoch(memory), 1), 2000, 'epoch acknowledged');
      Atomics.store(i32, (HART_BASE + H_STOP) >> 2, 1);
      const r = await within(done, 2000, 'halt after stop');
      expect(r.halted).toBe(true);
      expect(dv.getBigUint64(HART_BASE + H_INSTRET, true)).toBe(0n);
      expect(dv.getBigUint64(HART_BASE + H_PC, true)).toBe(0n);
      expect(dv.getBigUint64(HART_BASE + H_MCAUSE, true)).toBe(1n); // instruction access fault, forever
    } finally {
      await worker.terminate();
    }
  });
});
