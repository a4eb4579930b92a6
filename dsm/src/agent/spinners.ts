import { Worker } from 'node:worker_threads';

/** A set of spinner.ts threads in this process: the stand-in for vCPU threads that fill the cores. */
export class Spinners {
  private stop = new Int32Array(new SharedArrayBuffer(4));
  private workers: Worker[] = [];

  /** Replaces the running spinners by `threads` new ones at `nice`; resolves once they run. */
  async set(threads: number, nice: number): Promise<number> {
    Atomics.store(this.stop, 0, 1);
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.stop = new Int32Array(new SharedArrayBuffer(4));
    const url = new URL('./spinner.js', import.meta.url);
    this.workers = Array.from({ length: threads }, () => new Worker(url, { workerData: { stop: this.stop, nice } }));
    await Promise.all(this.workers.map((w) => new Promise((r) => w.once('online', r))));
    return this.workers.length;
  }
}
