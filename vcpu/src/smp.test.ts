import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { createNodeMemory, mapAllRam, readGpa, getEntry, setEntry, decodeEntry, encodeEntry } from './memory.js';
import { waitForEpoch, bumpEpoch } from './handshake.js';
import { loadCoreModule } from './core.js';
import { loadElfInto } from './test-support/machine.js';
import { HART_BASE, HART_STRIDE, H_STOP } from './layout.js';
import type { HartJob, HartResult } from './test-support/hart-worker.js';

// Workers run compiled JS: `npm run build` first (the root `npm test` does).
const WORKER = new URL('../dist/test-support/hart-worker.js', import.meta.url);
const guest = (n: string) => fileURLToPath(new URL(`../test-guests/${n}.elf`, import.meta.url));

function startHart(job: HartJob): { worker: Worker; done: Promise<HartResult> } {
  const worker = new Worker(WORKER, { workerData: job });
  const done = new Promise<HartResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, done };
}

const u64 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getBigUint64(0, true);

describe('multi-hart on one node (worker threads, shared memory)', () => {
  it('amoadd, LR/SC and a spinlock give exact totals across 4 harts', async () => {
    const harts = 4;
    const memory = createNodeMemory({ ramBytes: 1 << 20, harts });
    mapAllRam(memory);
    const elf = loadElfInto(memory, guest('smp'));
    const module = await loadCoreModule();
    const runs = Array.from({ length: harts }, (_, h) => startHart({ module, memory, hartId: h, entry: elf.entry }));
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const total = BigInt(harts * 20000);
    for (const name of ['c_amo', 'c_lrsc', 'c_lock']) {
      expect(u64(readGpa(memory, Number(elf.symbols.get(name)), 8)), name).toBe(total);
    }
  });

  it('revoking a write right: once the handshake resolves no store lands; harts exit and retry', async () => {
    const harts = 2;
    const memory = createNodeMemory({ ramBytes: 1 << 20, harts });
    mapAllRam(memory);
    const elf = loadElfInto(memory, guest('store_loop'));
    const slots = Number(elf.symbols.get('slots'));
    const module = await loadCoreModule();
    const runs = Array.from({ length: harts }, (_, h) => startHart({ module, memory, hartId: h, entry: elf.entry }));
    const read = () => [0, 1].map((h) => u64(readGpa(memory, slots + 8 * h, 8)));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // wait until both harts are storing
    for (let i = 0; i < 500 && read().some((v) => v === 0n); i++) await sleep(5);
    expect(read().every((v) => v > 0n)).toBe(true);

    const full = getEntry(memory, slots);
    const e = decodeEntry(full);
    setEntry(memory, slots, encodeEntry({ ...e, write: false }));
    await waitForEpoch(memory, bumpEpoch(memory), harts);
    const frozen = read();
    await sleep(100);
    expect(read()).toEqual(frozen); // nothing stored under the old right

    setEntry(memory, slots, full); // grant back: harts retry the faulting store
    for (let i = 0; i < 500 && read().some((v, h) => v <= frozen[h] + 1000n); i++) await sleep(5);
    const after = read();
    expect(after[0]).toBeGreaterThan(frozen[0]);
    expect(after[1]).toBeGreaterThan(frozen[1]);

    const i32 = new Int32Array(memory.buffer);
    for (let h = 0; h < harts; h++) Atomics.store(i32, (HART_BASE + h * HART_STRIDE + H_STOP) >> 2, 1);
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results.every((r) => r.halted)).toBe(true);
    expect(results.every((r) => r.pageExits >= 1)).toBe(true);
  });
});
