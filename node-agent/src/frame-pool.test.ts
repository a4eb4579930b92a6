import { describe, expect, it } from 'vitest';
import { FramePool, FrameExhausted, NotLocal } from './frame-pool.js';
import { PAGE_SIZE, RAM_BASE } from '@unum/machine';
import { FRAMES } from './node-layout.js';
import { PTE_LAZY, frameOf } from './page-entry.js';

function pool(frames: number, ramBytes = 16 * PAGE_SIZE): FramePool {
  return FramePool.create(new SharedArrayBuffer(FRAMES + frames * PAGE_SIZE), { ramBytes, frames });
}

describe('FramePool', () => {
  it('allocates by bump, recycles freed frames zeroed, and runs dry', () => {
    const p = pool(2);
    const a = p.alloc();
    const b = p.alloc();
    expect([a, b]).toEqual([0, 1]);
    expect(() => p.alloc()).toThrow(FrameExhausted);
    p.frameBytes(a).fill(0xaa);
    p.free(a);
    expect(p.used).toBe(1);
    const c = p.alloc();
    expect(c).toBe(a);
    expect(p.frameBytes(c).every((x) => x === 0)).toBe(true);
  });

  it('materializes LAZY pages on host write and reads LAZY pages as zero', () => {
    const p = pool(4);
    p.mapLazy(RAM_BASE, 16 * PAGE_SIZE);
    expect(p.entry(RAM_BASE + PAGE_SIZE)).toBe(PTE_LAZY);
    expect(p.read(RAM_BASE + 10, 3)).toEqual(new Uint8Array(3));
    // a write straddling two pages takes two frames
    p.write(RAM_BASE + PAGE_SIZE - 2, Uint8Array.of(1, 2, 3, 4));
    expect(p.used).toBe(2);
    expect(p.read(RAM_BASE + PAGE_SIZE - 2, 4)).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(p.rights(RAM_BASE)).toBe('rw');
    expect(p.materialize(RAM_BASE)).toBe(false); // already has its frame
  });

  it('runs the revocation handshake only when a right is taken away', async () => {
    const p = pool(4);
    p.mapLazy(RAM_BASE, PAGE_SIZE);
    p.materialize(RAM_BASE, 'r');
    let revokes = 0;
    const revoke = async (): Promise<void> => { revokes++; };
    await p.setRights(RAM_BASE, 'rw', revoke);
    expect(revokes).toBe(0);
    await p.setRights(RAM_BASE, 'r', revoke);
    expect(revokes).toBe(1);
    expect(p.rights(RAM_BASE)).toBe('r');
    expect(frameOf(p.entry(RAM_BASE))).toBe(0);
  });

  it('refuses host access to pages this node does not hold', () => {
    const p = pool(1);
    expect(() => p.read(RAM_BASE, 1)).toThrow(NotLocal);
    expect(() => p.read(RAM_BASE - 1, 1)).toThrow(RangeError);
  });
});
