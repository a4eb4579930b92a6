import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../test-support/virtio-driver.js';
import type { BlockBackend } from './block-image.js';
import { BLK_S, BLK_T, VirtioBlk } from './virtio-blk.js';
import { REG } from './virtio-regs.js';

class MemDisk implements BlockBackend {
  readonly data = new Uint8Array(64 * 512);
  flushes = 0;
  constructor(readonly readonly = false) {}
  get size() { return this.data.length; }
  async read(off: number, len: number) { return this.data.slice(off, off + len); }
  async write(off: number, d: Uint8Array) { this.data.set(d, off); }
  async flush() { this.flushes++; }
  async close() {}
}

function header(type: number, sector: number): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, type, true);
  v.setBigUint64(8, BigInt(sector), true);
  return h;
}

/** One request: header (+ data out) readable, data in + status writable; returns status and used length. */
async function request(d: TestDriver, type: number, sector: number, out?: Uint8Array, inLen = 0, n = 1) {
  const bufs = [{ addr: d.alloc(16, header(type, sector)), len: 16 }];
  if (out) bufs.push({ addr: d.alloc(out.length, out), len: out.length });
  const dataIn = inLen ? d.alloc(inLen) : 0;
  if (inLen) bufs.push({ addr: dataIn, len: inLen, write: true } as never);
  const status = d.alloc(1, Uint8Array.of(0xff));
  bufs.push({ addr: status, len: 1, write: true } as never);
  d.submit(0, bufs);
  await d.settle(0, n);
  return { status: d.bytes(status, 1)[0], used: d.used(0).len, data: d.bytes(dataIn, inLen) };
}

describe('virtio-blk', () => {
  it('advertises capacity and blk_size, writes, reads back, flushes and answers GET_ID', async () => {
    const disk = new MemDisk();
    const d = new TestDriver(new VirtioBlk(disk, 'unum-disk-0'));
    expect(d.r(REG.deviceId)).toBe(2);
    expect(Number(d.transport.read(0x100, 8))).toBe(64); // sectors
    expect(d.r(0x100 + 20)).toBe(512);
    const payload = new Uint8Array(1024).map((_, i) => i * 7);
    expect(await request(d, BLK_T.out, 3, payload, 0, 1)).toMatchObject({ status: BLK_S.ok, used: 1 });
    expect(disk.data.slice(3 * 512, 5 * 512)).toEqual(payload);
    const back = await request(d, BLK_T.in, 3, undefined, 1024, 2);
    expect(back).toMatchObject({ status: BLK_S.ok, used: 1025 });
    expect(back.data).toEqual(payload);
    expect(await request(d, BLK_T.flush, 0, undefined, 0, 3)).toMatchObject({ status: BLK_S.ok });
    expect(disk.flushes).toBe(1);
    const id = await request(d, BLK_T.getId, 0, undefined, 20, 4);
    expect(new TextDecoder().decode(id.data).replace(/\0+$/, '')).toBe('unum-disk-0');
    expect(await request(d, BLK_T.in, 63, undefined, 1024, 5)).toMatchObject({ status: BLK_S.ioerr }); // past the end
    expect(await request(d, 99, 0, undefined, 0, 6)).toMatchObject({ status: BLK_S.unsupp });
  });

  it('a read-only drive offers VIRTIO_BLK_F_RO and fails writes with IOERR', async () => {
    const disk = new MemDisk(true);
    const d = new TestDriver(new VirtioBlk(disk));
    expect(d.r(REG.deviceFeatures) & (1 << 5)).toBe(1 << 5);
    expect(await request(d, BLK_T.out, 0, new Uint8Array(512).fill(1))).toMatchObject({ status: BLK_S.ioerr });
    expect(disk.data.every((b) => b === 0)).toBe(true);
  });
});
