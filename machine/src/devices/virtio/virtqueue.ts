/**
 * A split virtqueue (virtio 1.2 §2.7) as the device sees it: the driver's
 * available ring and descriptor table, the device's used ring, all in guest
 * RAM and reached only through GuestDma. `pop()` walks one descriptor chain
 * and checks it (a loop, a chain longer than the queue, more bytes than
 * MAX_CHAIN_BYTES, an indirect or out-of-RAM descriptor, a readable one after
 * a writable one) before a device sees it: a bad chain is a ChainError,
 * which the transport turns into DEVICE_NEEDS_RESET, never a host crash.
 *
 * @example
 *   for (let c = await vq.pop(); c; c = await vq.pop()) {
 *     const req = await readChain(dma, c.readable);
 *     await vq.push(c.head, await serve(req, c.writable));
 *   }
 */
import { DESC_F_INDIRECT, DESC_F_NEXT, DESC_F_WRITE } from './virtio-regs.js';
import type { GuestDma } from './guest-dma.js';

/** One buffer of a chain: guest-physical address and length. */
export interface Segment {
  addr: number;
  len: number;
}

export interface DescriptorChain {
  /** Index of the first descriptor: what goes back in the used ring. */
  head: number;
  /** Buffers the device reads (the driver's request), in order. */
  readable: Segment[];
  /** Buffers the device writes (its answer), in order. */
  writable: Segment[];
}

/** A malformed chain or ring: the device stops and asks for a reset. */
export class ChainError extends Error {
  override readonly name = 'ChainError';
}

/** No single request may name more guest memory than this. */
export const MAX_CHAIN_BYTES = 64 * 2 ** 20;
const DESC_BYTES = 16;
const AVAIL_F_NO_INTERRUPT = 1;

/** Where the driver put the queue's three parts (QueueDesc/Driver/Device) and its size (QueueNum). */
export interface QueueLayout {
  size: number;
  desc: number;
  driver: number;
  device: number;
}

export class Virtqueue {
  /** Next available-ring entry to take. */
  private lastAvail = 0;
  private usedIdx = 0;
  /** Set on reset: an in-flight request no longer touches the rings. */
  private retired = false;
  /** Chains returned to the driver. */
  pushed = 0;

  constructor(private readonly dma: GuestDma, readonly layout: QueueLayout) {
    if (layout.size <= 0 || (layout.size & (layout.size - 1)) !== 0 || layout.size > 32768) {
      throw new ChainError(`queue size ${layout.size} is not a power of 2 up to 32768`);
    }
  }

  get live(): boolean {
    return !this.retired;
  }

  retire(): void {
    this.retired = true;
  }

  /**
   * Whether the driver wants an interrupt for used buffers: false while it
   * sets VRING_AVAIL_F_NO_INTERRUPT (Linux does during NAPI polling, and
   * polls the used ring itself). Read after the used index is published, so
   * a driver that clears the flag and then checks the index cannot miss both.
   */
  async interruptWanted(): Promise<boolean> {
    return (u16(await this.dma.read(this.layout.driver, 2), 0) & AVAIL_F_NO_INTERRUPT) === 0;
  }

  /** The next chain the driver made available, or undefined when there is none (or the queue was reset). */
  async pop(): Promise<DescriptorChain | undefined> {
    if (this.retired) return undefined;
    const { size, driver } = this.layout;
    const availIdx = u16(await this.dma.read(driver + 2, 2), 0);
    if (availIdx === this.lastAvail || this.retired) return undefined;
    if (((availIdx - this.lastAvail) & 0xffff) > size) throw new ChainError(`available index jumped by more than the queue size (${size})`);
    const head = u16(await this.dma.read(driver + 4 + 2 * (this.lastAvail % size), 2), 0);
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    return this.walk(head);
  }

  /** Follow `head`'s NEXT links, checking the chain as it goes. */
  private async walk(head: number): Promise<DescriptorChain> {
    const { size, desc } = this.layout;
    const chain: DescriptorChain = { head, readable: [], writable: [] };
    let total = 0;
    let i = head;
    for (let n = 0; ; n++) {
      if (i >= size) throw new ChainError(`descriptor index ${i} is outside a queue of ${size}`);
      if (n >= size) throw new ChainError(`descriptor chain from ${head} loops or is longer than the queue (${size})`);
      const d = await this.dma.read(desc + DESC_BYTES * i, DESC_BYTES);
      const view = new DataView(d.buffer, d.byteOffset, DESC_BYTES);
      const addr = Number(view.getBigUint64(0, true));
      const len = view.getUint32(8, true);
      const flags = view.getUint16(12, true);
      if (flags & DESC_F_INDIRECT) throw new ChainError('indirect descriptors were not offered');
      total += len;
      if (total > MAX_CHAIN_BYTES) throw new ChainError(`descriptor chain from ${head} names more than ${MAX_CHAIN_BYTES} bytes`);
      if (flags & DESC_F_WRITE) chain.writable.push({ addr, len });
      else if (chain.writable.length > 0) throw new ChainError('a readable descriptor follows a writable one');
      else chain.readable.push({ addr, len });
      if (!(flags & DESC_F_NEXT)) return chain;
      i = view.getUint16(14, true);
    }
  }

  /** Return chain `head` to the driver with `written` bytes written into its writable buffers. */
  async push(head: number, written: number): Promise<void> {
    if (this.retired) return;
    const { size, device } = this.layout;
    const elem = new Uint8Array(8);
    const view = new DataView(elem.buffer);
    view.setUint32(0, head, true);
    view.setUint32(4, written, true);
    await this.dma.write(device + 4 + 8 * (this.usedIdx % size), elem);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    // The element is in place before the index that publishes it (the driver reads idx, then the ring).
    await this.dma.write(device + 2, Uint8Array.of(this.usedIdx & 0xff, this.usedIdx >> 8));
    this.pushed++;
  }
}

const u16 = (b: Uint8Array, off: number): number => b[off]! | (b[off + 1]! << 8);

/** The bytes of a chain's readable buffers, concatenated. */
export async function gather(dma: GuestDma, segs: readonly Segment[]): Promise<Uint8Array> {
  const parts = await Promise.all(segs.map((s) => dma.read(s.addr, s.len)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Spread `data` over writable buffers in order; returns how many bytes fit. */
export async function scatter(dma: GuestDma, segs: readonly Segment[], data: Uint8Array): Promise<number> {
  let off = 0;
  for (const s of segs) {
    if (off >= data.length) break;
    const n = Math.min(s.len, data.length - off);
    await dma.write(s.addr, data.subarray(off, off + n));
    off += n;
  }
  return off;
}

/** Total bytes of some segments. */
export const lengthOf = (segs: readonly Segment[]): number => segs.reduce((n, s) => n + s.len, 0);
