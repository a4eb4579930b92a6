/**
 * A minimal virtio-mmio driver for unit tests: negotiates features, sets up
 * queue 0.. in a RamDma, submits descriptor chains (well-formed or not) and
 * waits for the used ring, the way Linux's virtio_mmio + virtio_ring do.
 */
import { VirtioMmioTransport } from '../devices/virtio/mmio-transport.js';
import type { VirtioDevice } from '../devices/virtio/virtio-device.js';
import { DESC_F_NEXT, DESC_F_WRITE, REG, STATUS } from '../devices/virtio/virtio-regs.js';
import { RamDma } from './ram-dma.js';

export const RAM_BASE = 0x8000_0000;
/** Queue q's rings live at RAM_BASE + q * 0x10000; buffers from BUF up. */
const QSIZE = 16;
const BUF = RAM_BASE + 0x8_0000;

export interface Buf { addr: number; len: number; write?: boolean; next?: number }

export class TestDriver {
  readonly dma = new RamDma(RAM_BASE, 1 << 20);
  readonly transport: VirtioMmioTransport;
  irq = false;
  errors: unknown[] = [];
  private nextBuf = BUF;
  private avail = new Map<number, number>();

  constructor(device: VirtioDevice | undefined, features = device ? device.features | (1n << 32n) : 0n) {
    this.transport = new VirtioMmioTransport({ dma: this.dma, irq: (l) => { this.irq = l; }, onError: (_, e) => this.errors.push(e) }, device);
    if (!device) return;
    this.w(REG.status, STATUS.acknowledge | STATUS.driver);
    this.w(REG.driverFeaturesSel, 0); this.w(REG.driverFeatures, Number(features & 0xffff_ffffn));
    this.w(REG.driverFeaturesSel, 1); this.w(REG.driverFeatures, Number(features >> 32n));
    this.w(REG.status, STATUS.acknowledge | STATUS.driver | STATUS.featuresOk);
    device.queueMax.forEach((_, q) => {
      const at = RAM_BASE + q * 0x1_0000;
      this.w(REG.queueSel, q); this.w(REG.queueNum, QSIZE);
      this.w(REG.queueDescLow, at); this.w(REG.queueDriverLow, at + 0x1000); this.w(REG.queueDeviceLow, at + 0x2000);
      this.w(REG.queueReady, 1);
    });
    this.w(REG.status, STATUS.acknowledge | STATUS.driver | STATUS.featuresOk | STATUS.driverOk);
  }

  r(offset: number): number {
    return Number(this.transport.read(offset, 4));
  }

  w(offset: number, value: number): void {
    this.transport.write(offset, 4, BigInt(value));
  }

  /** Guest memory for a buffer of `len` bytes (optionally filled). */
  alloc(len: number, fill?: Uint8Array): number {
    const at = this.nextBuf;
    this.nextBuf += Math.max(16, (len + 15) & ~15);
    if (fill) this.dma.bytes.set(fill, at - RAM_BASE);
    return at;
  }

  bytes(addr: number, len: number): Uint8Array {
    return this.dma.bytes.slice(addr - RAM_BASE, addr - RAM_BASE + len);
  }

  /** Write descriptors `bufs` at indexes 0.. of queue q (next links as given, else consecutive), make `head` available, notify. */
  submit(q: number, bufs: Buf[], head = 0): void {
    const at = RAM_BASE + q * 0x1_0000;
    const view = new DataView(this.dma.bytes.buffer);
    bufs.forEach((b, i) => {
      const d = at - RAM_BASE + 16 * i;
      const hasNext = b.next !== undefined || i < bufs.length - 1;
      view.setBigUint64(d, BigInt(b.addr), true);
      view.setUint32(d + 8, b.len, true);
      view.setUint16(d + 12, (hasNext ? DESC_F_NEXT : 0) | (b.write ? DESC_F_WRITE : 0), true);
      view.setUint16(d + 14, b.next ?? i + 1, true);
    });
    const idx = this.avail.get(q) ?? 0;
    const drv = at + 0x1000 - RAM_BASE;
    view.setUint16(drv + 4 + 2 * (idx % QSIZE), head, true);
    view.setUint16(drv + 2, idx + 1, true);
    this.avail.set(q, idx + 1);
    this.w(REG.queueNotify, q);
  }

  /** The used ring's index of queue q and its last element. */
  used(q: number): { idx: number; id: number; len: number } {
    const view = new DataView(this.dma.bytes.buffer);
    const dev = RAM_BASE + q * 0x1_0000 + 0x2000 - RAM_BASE;
    const idx = view.getUint16(dev + 2, true);
    const e = dev + 4 + 8 * ((idx - 1 + QSIZE) % QSIZE);
    return { idx, id: view.getUint32(e, true), len: view.getUint32(e + 4, true) };
  }

  /** Wait (bounded) until queue q has used `n` chains or the device asked for a reset. */
  async settle(q: number, n = 1): Promise<void> {
    for (let i = 0; i < 200 && this.used(q).idx < n && !(this.r(REG.status) & STATUS.needsReset); i++) await new Promise((r) => setTimeout(r, 1));
  }
}
