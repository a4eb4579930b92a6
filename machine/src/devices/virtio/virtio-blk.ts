/**
 * virtio-blk (virtio 1.2 §5.2) on a BlockBackend: IN, OUT, FLUSH (fsync of
 * the image) and GET_ID; a read-only drive offers VIRTIO_BLK_F_RO and
 * answers writes with IOERR. A request past the end of the disk or with a
 * short header gets IOERR; a chain without a status byte is malformed
 * (ChainError: the device asks for a reset).
 */
import type { BlockBackend } from './block-image.js';
import { configRead, serveEach, type VirtioDevice, type VirtioIo } from './virtio-device.js';
import { DEVICE_ID } from './virtio-regs.js';
import { ChainError, gather, lengthOf, scatter, type DescriptorChain, type Segment } from './virtqueue.js';

export const SECTOR = 512;
const F_SIZE_MAX = 1n << 1n;
const F_SEG_MAX = 1n << 2n;
const F_RO = 1n << 5n;
const F_BLK_SIZE = 1n << 6n;
const F_FLUSH = 1n << 9n;

export const BLK_T = { in: 0, out: 1, flush: 4, getId: 8 } as const;
export const BLK_S = { ok: 0, ioerr: 1, unsupp: 2 } as const;
const HEADER_BYTES = 16;
const ID_BYTES = 20;
const QUEUE_SIZE = 256;
/** Largest single segment the driver may use (Linux needs at least a page). */
const SIZE_MAX = 1 << 20;

export class VirtioBlk implements VirtioDevice {
  readonly name = 'virtio-blk';
  readonly deviceId = DEVICE_ID.blk;
  readonly features: bigint;
  readonly queueMax = [QUEUE_SIZE];
  private readonly config = new Uint8Array(36);
  private readonly id: Uint8Array;
  private io!: VirtioIo;

  /** `serial`: what GET_ID answers (up to 20 bytes, like QEMU's `serial=`). */
  constructor(private readonly disk: BlockBackend, serial = '') {
    this.features = F_SIZE_MAX | F_SEG_MAX | F_BLK_SIZE | F_FLUSH | (disk.readonly ? F_RO : 0n);
    const view = new DataView(this.config.buffer);
    view.setBigUint64(0, BigInt(Math.floor(disk.size / SECTOR)), true); // capacity in 512-byte sectors
    view.setUint32(8, SIZE_MAX, true);
    view.setUint32(12, QUEUE_SIZE - 2, true); // seg_max: the header and the status take a descriptor each
    view.setUint32(20, SECTOR, true); // blk_size
    this.id = new TextEncoder().encode(serial).subarray(0, ID_BYTES);
  }

  attach(io: VirtioIo): void {
    this.io = io;
  }

  notify(q: number): void {
    void serveEach(this.io, q, (c) => this.serve(c));
  }

  readConfig(offset: number, size: number): bigint {
    return configRead(this.config, offset, size);
  }

  reset(): void {}

  close(): Promise<void> {
    return this.disk.close();
  }

  /** One request; returns the bytes written into the chain (data + status). */
  private async serve(c: DescriptorChain): Promise<number> {
    const last = c.writable[c.writable.length - 1];
    if (!last || last.len < 1) throw new ChainError('virtio-blk request without a status byte');
    const statusAt = last.addr + last.len - 1;
    await this.io.dma.claim?.(statusAt, 1); // the header usually shares the status byte's page: read it with the write right
    const data: Segment[] = [...c.writable.slice(0, -1), ...(last.len > 1 ? [{ addr: last.addr, len: last.len - 1 }] : [])];
    const { status, written } = await this.request(c.readable, data);
    await this.io.dma.write(statusAt, Uint8Array.of(status));
    return written + 1;
  }

  private async request(readable: Segment[], data: Segment[]): Promise<{ status: number; written: number }> {
    const req = await gather(this.io.dma, readable);
    if (req.length < HEADER_BYTES) return { status: BLK_S.ioerr, written: 0 };
    const view = new DataView(req.buffer, req.byteOffset, HEADER_BYTES);
    const type = view.getUint32(0, true);
    const offset = Number(view.getBigUint64(8, true)) * SECTOR;
    switch (type) {
      case BLK_T.in: {
        const length = lengthOf(data);
        if (!this.inside(offset, length)) return { status: BLK_S.ioerr, written: 0 };
        return { status: BLK_S.ok, written: await scatter(this.io.dma, data, await this.disk.read(offset, length)) };
      }
      case BLK_T.out: {
        const body = req.subarray(HEADER_BYTES);
        if (this.disk.readonly || !this.inside(offset, body.length)) return { status: BLK_S.ioerr, written: 0 };
        await this.disk.write(offset, body);
        return { status: BLK_S.ok, written: 0 };
      }
      case BLK_T.flush:
        if (!this.disk.readonly) await this.disk.flush();
        return { status: BLK_S.ok, written: 0 };
      case BLK_T.getId: {
        const id = new Uint8Array(ID_BYTES);
        id.set(this.id);
        return { status: BLK_S.ok, written: await scatter(this.io.dma, data, id) };
      }
      default:
        return { status: BLK_S.unsupp, written: 0 };
    }
  }

  private inside(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && offset + length <= Math.floor(this.disk.size / SECTOR) * SECTOR;
  }
}
