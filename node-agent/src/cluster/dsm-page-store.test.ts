import { describe, expect, it } from 'vitest';
import { FramePool } from '../frame-pool.js';
import { RAM_BASE } from '@unum/machine';
import { FRAMES } from '../node-layout.js';
import { FramePoolPageStore } from './dsm-page-store.js';
import { estimateOffset } from './clock-sync.js';

function store(unitBytes: number) {
  const frames = 64;
  const buffer = new SharedArrayBuffer(FRAMES + frames * 4096);
  const pool = FramePool.create(buffer, { ramBytes: 1 << 20, frames });
  let revokes = 0;
  const s = new FramePoolPageStore(pool, unitBytes, async () => { revokes++; });
  return { pool, s, revokes: () => revokes };
}

describe('FramePoolPageStore', () => {
  it('a 16 KiB unit is four page entries: bytes round-trip across the page boundaries', () => {
    const { pool, s } = store(16384);
    const data = Uint8Array.from({ length: 16384 }, (_, i) => (i * 7) & 0xff);
    s.write(2, data);
    expect(s.read(2)).toEqual(data);
    expect(pool.used).toBe(4);
    for (let p = 0; p < 4; p++) expect(pool.rights(RAM_BASE + 2 * 16384 + p * 4096)).toBe('none'); // bytes, but no right yet
  });

  it('grants need no handshake; taking a right away runs it once per unit', async () => {
    const { pool, s, revokes } = store(16384);
    s.zero(1);
    await s.setRights(1, 'write');
    for (let p = 0; p < 4; p++) expect(pool.rights(RAM_BASE + 16384 + p * 4096)).toBe('rw');
    expect(revokes()).toBe(0);
    await s.setRights(1, 'read');
    expect(revokes()).toBe(1);
    for (let p = 0; p < 4; p++) expect(pool.rights(RAM_BASE + 16384 + p * 4096)).toBe('r');
    await s.setRights(1, 'none');
    expect(revokes()).toBe(2);
    expect(s.unitOf(RAM_BASE + 16384 + 5000)).toBe(1);
  });

  it('guest stores under a right are what the DSM reads back', async () => {
    const { pool, s } = store(4096);
    s.zero(0);
    await s.setRights(0, 'write');
    pool.write(RAM_BASE + 100, Uint8Array.of(1, 2, 3));
    await s.setRights(0, 'read');
    expect([...s.read(0).subarray(100, 103)]).toEqual([1, 2, 3]);
  });
});

describe('clock offset estimate', () => {
  it('picks the sample with the smallest round trip and bounds the error by half of it', () => {
    const e = estimateOffset([
      { sentNs: 1000n, receivedNs: 3000n, remoteNs: 500n },   // RTT 2000
      { sentNs: 5000n, receivedNs: 5200n, remoteNs: 4000n },  // RTT 200: mid 5100 → offset 1100
    ]);
    expect(e.offsetNs).toBe(1100n);
    expect(e.errorNs).toBe(100n);
  });
});
