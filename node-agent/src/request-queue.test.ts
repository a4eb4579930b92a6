import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ENTRY_WORDS, QUEUE_WORDS, RequestQueue } from './request-queue.js';

// Producers run the compiled queue (workers need .js), the consumer this one.
const compiled = new URL('../dist/request-queue.js', import.meta.url).href;
const PER_PRODUCER = 2000; // well past the 256-entry capacity: producers must block and resume

function producer(buffer: SharedArrayBuffer, id: number): Worker {
  return new Worker(`
    const { workerData } = require('node:worker_threads');
    import(workerData.compiled).then(({ RequestQueue, ENTRY_WORDS }) => {
      const q = new RequestQueue(new Int32Array(workerData.buffer));
      const e = new Int32Array(ENTRY_WORDS);
      for (let i = 0; i < ${PER_PRODUCER}; i++) { e[0] = workerData.id; e[1] = i; q.push(e); }
    });`, { eval: true, workerData: { buffer, id, compiled } });
}

describe('RequestQueue', () => {
  it('delivers every entry of every producer once, each producer in order, through a full queue', async () => {
    const buffer = new SharedArrayBuffer(QUEUE_WORDS * 4);
    const q = new RequestQueue(new Int32Array(buffer));
    const workers = [producer(buffer, 0), producer(buffer, 1)];
    const next = [0, 0];
    const out = new Int32Array(ENTRY_WORDS);
    for (let got = 0; got < 2 * PER_PRODUCER;) {
      if (!(await q.pop(out, 1000))) throw new Error(`queue stalled after ${got} entries`);
      expect(out[1]).toBe(next[out[0]!]);
      next[out[0]!]!++;
      got++;
    }
    expect(next).toEqual([PER_PRODUCER, PER_PRODUCER]);
    expect(await q.pop(out, 20)).toBe(false);
    await Promise.all(workers.map((w) => w.terminate()));
  });
});
