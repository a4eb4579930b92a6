import { describe, expect, it } from 'vitest';
import { FRAMES, HART_BASE, HART_STRIDE, H_ACK_EPOCH, H_IN_GUEST, NC_EPOCH, NODE_CONTROL } from './node-layout.js';
import { revokeHandshake } from './revoke.js';

describe('revocation handshake', () => {
  it('bumps the epoch and waits for every in-guest hart to ack it', async () => {
    const buf = new SharedArrayBuffer(FRAMES);
    const i32 = new Int32Array(buf);
    const word = (hart: number, off: number): number => (HART_BASE + hart * HART_STRIDE + off) >> 2;
    Atomics.store(i32, word(1, H_IN_GUEST), 1); // hart 1 is running guest code; hart 0 is not
    let done = false;
    const p = revokeHandshake(buf, 2).then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(Atomics.load(i32, (NODE_CONTROL + NC_EPOCH) >> 2)).toBe(1);
    expect(done).toBe(false);
    Atomics.store(i32, word(1, H_ACK_EPOCH), 1);
    await p;
    expect(done).toBe(true);
  });
});
