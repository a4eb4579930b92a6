/**
 * virtio-net (virtio 1.2 §5.1) on a NetPort: one receive and one transmit
 * queue, a MAC and a link-up status in config space, no offloads (the guest
 * computes its own checksums and segments, so a TAP without IFF_VNET_HDR
 * can carry every frame as is). Each buffer starts with the 12-byte
 * virtio_net_hdr (num_buffers is always there in virtio 1.x); the device
 * writes a zero header (num_buffers 1) before each received frame and drops
 * the header of each sent one.
 *
 * Host frames wait in a short queue until the guest posts receive buffers;
 * while that queue is full the port is paused (the kernel keeps the TAP's
 * frames), as QEMU stops reading its TAP when the guest cannot receive.
 */
import type { NetPort } from './net-port.js';
import { configRead, serveEach, type VirtioDevice, type VirtioIo } from './virtio-device.js';
import { DEVICE_ID } from './virtio-regs.js';
import { gather, lengthOf, scatter } from './virtqueue.js';

const F_MAC = 1n << 5n;
const F_STATUS = 1n << 16n;
const S_LINK_UP = 1;
/** struct virtio_net_hdr with num_buffers (virtio 1.x). */
export const NET_HDR_BYTES = 12;
const RX = 0;
const TX = 1;
const QUEUE_SIZE = 256;
/** Host frames held while the guest has no receive buffers; the port is paused above this. */
const BACKLOG = 64;
/** QEMU's default MAC for the first NIC. */
export const DEFAULT_MAC = '52:54:00:12:34:56';

/** Traffic through the device (frames and bytes without the virtio header), for stats. */
export interface NetCounters {
  rxFrames: number;
  rxBytes: number;
  txFrames: number;
  txBytes: number;
  /** Host frames dropped: the guest had no buffers and the backlog was full, or the frame did not fit. */
  rxDropped: number;
}

/** 'xx:xx:xx:xx:xx:xx' as 6 bytes; throws RangeError on anything else. */
export function macBytes(text: string): Uint8Array {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) throw new RangeError(`bad MAC address '${text}': use xx:xx:xx:xx:xx:xx`);
  return Uint8Array.from(text.split(':').map((h) => parseInt(h, 16)));
}

export class VirtioNet implements VirtioDevice {
  readonly name = 'virtio-net';
  readonly deviceId = DEVICE_ID.net;
  readonly features = F_MAC | F_STATUS;
  readonly queueMax = [QUEUE_SIZE, QUEUE_SIZE];
  readonly counters: NetCounters = { rxFrames: 0, rxBytes: 0, txFrames: 0, txBytes: 0, rxDropped: 0 };
  private readonly config = new Uint8Array(8);
  private io!: VirtioIo;
  private backlog: Uint8Array[] = [];
  private paused = false;

  constructor(private readonly port: NetPort, mac = DEFAULT_MAC) {
    this.config.set(macBytes(mac), 0);
    new DataView(this.config.buffer).setUint16(6, S_LINK_UP, true);
  }

  attach(io: VirtioIo): void {
    this.io = io;
    this.port.onFrame((frame) => this.fromHost(frame));
  }

  notify(q: number): void {
    if (q === TX) void serveEach(this.io, TX, async (c) => { this.toHost(await gather(this.io.dma, c.readable)); return 0; });
    else if (q === RX) this.deliver();
  }

  readConfig(offset: number, size: number): bigint {
    return configRead(this.config, offset, size);
  }

  /** The driver reset the device: frames held for the old queues are gone. */
  reset(): void {
    this.backlog = [];
    this.wake();
  }

  async close(): Promise<void> {
    this.port.close();
  }

  private toHost(packet: Uint8Array): void {
    if (packet.length <= NET_HDR_BYTES) return; // a header alone carries no frame
    const frame = packet.subarray(NET_HDR_BYTES);
    this.counters.txFrames++;
    this.counters.txBytes += frame.length;
    this.port.send(frame);
  }

  private fromHost(frame: Uint8Array): void {
    if (this.backlog.length >= BACKLOG) {
      this.counters.rxDropped++;
      return;
    }
    this.backlog.push(frame);
    if (this.backlog.length >= BACKLOG) {
      this.paused = true;
      this.port.pause();
    }
    this.deliver();
  }

  /** Move held frames into the guest's receive buffers, one chain each, while both last. */
  private deliver(): void {
    if (this.backlog.length === 0) return;
    void this.io.run(RX, async (vq) => {
      let used = false;
      while (this.backlog.length > 0) {
        const c = await vq.pop();
        if (!c) break;
        const frame = this.backlog.shift()!;
        const room = lengthOf(c.writable);
        if (room < NET_HDR_BYTES + frame.length) {
          this.counters.rxDropped++; // the driver's buffer is smaller than the frame: return it empty
          await vq.push(c.head, 0);
        } else {
          const packet = new Uint8Array(NET_HDR_BYTES + frame.length);
          packet[10] = 1; // num_buffers
          packet.set(frame, NET_HDR_BYTES);
          await vq.push(c.head, await scatter(this.io.dma, c.writable, packet));
          this.counters.rxFrames++;
          this.counters.rxBytes += frame.length;
        }
        used = true;
      }
      this.wake();
      return used;
    });
  }

  private wake(): void {
    if (this.paused && this.backlog.length < BACKLOG / 2) {
      this.paused = false;
      this.port.resume();
    }
  }
}
