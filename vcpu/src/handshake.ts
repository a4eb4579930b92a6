/**
 * Host side of the rights-revocation handshake (docs/architecture.md):
 * store the weaker entry, bump `epoch`, then wait until every hart is either
 * outside run() or has acknowledged the new epoch. After that no hart can
 * use the old right, and all its stores under that right are in the frame.
 */
import { NODE_CTRL, NC_EPOCH, HART_BASE, HART_STRIDE, H_IN_GUEST, H_ACK_EPOCH } from './layout.js';
import { setEntry } from './memory.js';

type WaitAsync = (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Atomically bump the node epoch; returns the new epoch. */
export function bumpEpoch(memory: WebAssembly.Memory): number {
  return (Atomics.add(new Int32Array(memory.buffer), (NODE_CTRL + NC_EPOCH) >> 2, 1) + 1) | 0;
}

export function currentEpoch(memory: WebAssembly.Memory): number {
  return Atomics.load(new Int32Array(memory.buffer), (NODE_CTRL + NC_EPOCH) >> 2);
}

function hartIds(harts: number | readonly number[]): readonly number[] {
  return typeof harts === 'number' ? Array.from({ length: harts }, (_, i) => i) : harts;
}

/** True when hart h cannot hold a right older than `epoch`. */
function settled(i32: Int32Array, h: number, epoch: number): boolean {
  const b = (HART_BASE + h * HART_STRIDE) >> 2;
  return Atomics.load(i32, b + (H_IN_GUEST >> 2)) === 0 || Atomics.load(i32, b + (H_ACK_EPOCH >> 2)) - epoch >= 0;
}

/**
 * Resolve once every listed hart has inGuest == 0 or ackEpoch >= epoch.
 * `harts` is a hart count (0..n-1) or a list of hart ids.
 */
export async function waitForEpoch(memory: WebAssembly.Memory, epoch: number, harts: number | readonly number[]): Promise<void> {
  const i32 = new Int32Array(memory.buffer);
  for (const h of hartIds(harts)) {
    const ackIdx = (HART_BASE + h * HART_STRIDE + H_ACK_EPOCH) >> 2;
    while (!settled(i32, h, epoch)) {
      const seen = Atomics.load(i32, ackIdx);
      if (settled(i32, h, epoch)) break;
      // the hart notifies ackEpoch both on acknowledging and on leaving run()
      const r = waitAsync(i32, ackIdx, seen, 2);
      if (r.async) await r.value;
    }
  }
}

/** Synchronous variant for worker threads (Atomics.wait may block there). */
export function waitForEpochSync(memory: WebAssembly.Memory, epoch: number, harts: number | readonly number[]): void {
  const i32 = new Int32Array(memory.buffer);
  for (const h of hartIds(harts)) {
    const ackIdx = (HART_BASE + h * HART_STRIDE + H_ACK_EPOCH) >> 2;
    while (!settled(i32, h, epoch)) Atomics.wait(i32, ackIdx, Atomics.load(i32, ackIdx), 2);
  }
}

/** Store a weaker GPA entry, bump the epoch and wait for every hart to drop the old right. */
export async function revokeAndWait(memory: WebAssembly.Memory, gpa: number, entry: number, harts: number | readonly number[]): Promise<void> {
  setEntry(memory, gpa, entry);
  await waitForEpoch(memory, bumpEpoch(memory), harts);
}
