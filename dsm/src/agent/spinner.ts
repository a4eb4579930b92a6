/**
 * A worker thread that keeps a core busy the way a spinning vCPU does, at the
 * priority a vCPU worker gets (`nice`, as node-agent's vcpu-worker.ts sets
 * it), until its stop word is set. The transport bench fills the cores with
 * these to see whether the agent's main thread (the DSM) still gets served.
 */
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';

const { stop, nice } = workerData as { stop: Int32Array; nice: number };
if (nice) setPriority(0, nice); // Linux: this thread only
let x = 0;
while (Atomics.load(stop, 0) === 0) for (let i = 0; i < 100_000; i++) x = (x * 31 + i) | 0;
