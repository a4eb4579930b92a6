/**
 * Worker-thread hart for multi-hart tests: runs one Vcpu on the shared node
 * memory until the guest writes the test finisher or the host stops it.
 * Page exits wait (bounded) for the host to restore the right, then retry.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Vcpu } from '../vcpu.js';
import { getEntry, decodeEntry } from '../memory.js';
import { FINISHER_BASE as FINISHER } from '@unum/machine';

export interface HartJob { module: WebAssembly.Module; memory: WebAssembly.Memory; hartId: number; entry: bigint }
export interface HartResult { hartId: number; code: number; pageExits: number; instret: bigint; halted: boolean }

const job = workerData as HartJob;
const vcpu = new Vcpu(job.module, job.memory, job.hartId, { mtime: () => 0n });
vcpu.reset(job.entry, BigInt(job.hartId), 0n);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let pageExits = 0;
let result: HartResult | undefined;
for (let i = 0; i < 1_000_000 && !result; i++) {
  const e = vcpu.run(1_000_000);
  if (e.kind === 'mmio') {
    if (e.write && e.gpa === FINISHER) {
      const v = Number(e.value & 0xffffn);
      result = { hartId: job.hartId, code: v === 0x5555 ? 0 : Number(e.value >> 16n) || 1, pageExits, instret: vcpu.instret, halted: false };
    } else if (!e.write) vcpu.completeMmio(0n);
  } else if (e.kind === 'page') {
    pageExits++;
    for (let t = 0; t < 10_000; t++) {
      const d = decodeEntry(getEntry(job.memory, e.gpa));
      if (e.access === 'write' ? d.write : d.read) break;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  } else if (e.kind === 'halt') {
    result = { hartId: job.hartId, code: 0, pageExits, instret: vcpu.instret, halted: true };
  } else if (e.kind !== 'yield') {
    throw new Error(`hart ${job.hartId}: unexpected exit ${e.kind}`);
  }
}
parentPort?.postMessage(result ?? { hartId: job.hartId, code: -1, pageExits, instret: vcpu.instret, halted: false });
