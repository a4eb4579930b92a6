import { describe, expect, it } from 'vitest';
import { DmaError, PAGE_SIZE, RAM_BASE } from '@unum/machine';
import { FramePool } from '../frame-pool.js';
import { FRAMES } from '../node-layout.js';
import { DsmGuestDma, type DmaAccess } from './dsm-guest-dma.js';

const RAM = 8 * PAGE_SIZE;

/** A pool with no page held, and a "DSM" that grants what is asked, charging 2 messages of 100 B per fault. */
function rig() {
  const pool = FramePool.create(new SharedArrayBuffer(FRAMES + 8 * PAGE_SIZE), { ramBytes: RAM, frames: 8 });
  const faults: Array<[number, DmaAccess]> = [];
  const traffic = { messages: 0, bytes: 0 };
  const dma = new DsmGuestDma(pool, RAM, async (gpa, access) => {
    faults.push([gpa, access]);
    const frame = pool.entry(gpa) ? -1 : pool.alloc();
    if (frame >= 0) pool.map(gpa, frame, access === 'write' ? 'rw' : 'r');
    else await pool.setRights(gpa, access === 'write' ? 'rw' : 'r', async () => {});
    traffic.messages += 2;
    traffic.bytes += 100;
  }, () => ({ ...traffic }));
  return { pool, dma, faults };
}

describe('DsmGuestDma', () => {
  it('faults each page in with the access the copy needs, once, and counts the DSM traffic', async () => {
    const { pool, dma, faults } = rig();
    await dma.write(RAM_BASE + PAGE_SIZE - 2, Uint8Array.of(1, 2, 3, 4)); // straddles pages 0 and 1
    expect(faults).toEqual([[RAM_BASE, 'write'], [RAM_BASE + PAGE_SIZE, 'write']]);
    expect(await dma.read(RAM_BASE + PAGE_SIZE - 2, 4)).toEqual(Uint8Array.of(1, 2, 3, 4)); // held: no fault
    expect(faults).toHaveLength(2);
    await dma.read(RAM_BASE + 2 * PAGE_SIZE, 8); // a read takes a read right only
    expect(faults[2]).toEqual([RAM_BASE + 2 * PAGE_SIZE, 'read']);
    expect(pool.rights(RAM_BASE + 2 * PAGE_SIZE)).toBe('r');
    await dma.write(RAM_BASE + 2 * PAGE_SIZE, Uint8Array.of(9)); // then a write upgrades it
    expect(faults[3]).toEqual([RAM_BASE + 2 * PAGE_SIZE, 'write']);
    expect(dma.counts).toMatchObject({ dmaReads: 2, dmaWrites: 2, readFaults: 1, writeFaults: 3, dsmMessages: 8, dsmBytes: 400 });
  });

  it('claim takes the write right up front, so a later read and write of the page fault no more', async () => {
    const { dma, faults } = rig();
    await dma.claim(RAM_BASE + 3 * PAGE_SIZE + 100, 1);
    await dma.read(RAM_BASE + 3 * PAGE_SIZE, 16);
    await dma.write(RAM_BASE + 3 * PAGE_SIZE + 100, Uint8Array.of(0));
    expect(faults).toEqual([[RAM_BASE + 3 * PAGE_SIZE, 'write']]);
  });

  it('uses pages owned here without a frame (LAZY) without faulting, and refuses addresses outside RAM', async () => {
    const { pool, dma, faults } = rig();
    pool.mapLazy(RAM_BASE, RAM);
    await dma.write(RAM_BASE + 5, Uint8Array.of(7));
    expect(await dma.read(RAM_BASE + 5, 1)).toEqual(Uint8Array.of(7));
    expect(faults).toEqual([]);
    await expect(dma.read(RAM_BASE + RAM - 2, 4)).rejects.toBeInstanceOf(DmaError);
    await expect(dma.write(0x1000, Uint8Array.of(1))).rejects.toBeInstanceOf(DmaError);
  });
});
