/**
 * The rights-revocation handshake (docs/architecture.md): bump the node
 * epoch, then wait until every hart is out of the guest or has acked it.
 */
import { HART_BASE, HART_STRIDE, H_ACK_EPOCH, H_IN_GUEST, NC_EPOCH, NODE_CONTROL } from './node-layout.js';

export async function revokeHandshake(buffer: SharedArrayBuffer, harts: number): Promise<void> {
  const i32 = new Int32Array(buffer);
  const epoch = Atomics.add(i32, (NODE_CONTROL + NC_EPOCH) >> 2, 1) + 1;
  for (let h = 0; h < harts; h++) {
    const base = HART_BASE + h * HART_STRIDE;
    const ack = (base + H_ACK_EPOCH) >> 2;
    for (;;) {
      if (Atomics.load(i32, (base + H_IN_GUEST) >> 2) === 0) break;
      const seen = Atomics.load(i32, ack);
      if (seen === epoch) break;
      const w = Atomics.waitAsync(i32, ack, seen, 1);
      if (w.async) await w.value;
    }
  }
}
