/**
 * virtio-rng (virtio 1.2 §5.4): every writable buffer the driver offers is
 * filled from the host's CSPRNG (node:crypto), like QEMU's default
 * rng-random backend reading /dev/urandom.
 */
import { randomBytes } from 'node:crypto';
import { serveEach, type VirtioDevice, type VirtioIo } from './virtio-device.js';
import { DEVICE_ID } from './virtio-regs.js';
import { lengthOf, scatter } from './virtqueue.js';

/** At most this much entropy per request (Linux asks for 32–64 bytes at a time). */
const MAX_REQUEST = 64 * 1024;

export class VirtioRng implements VirtioDevice {
  readonly name = 'virtio-rng';
  readonly deviceId = DEVICE_ID.rng;
  readonly features = 0n;
  readonly queueMax = [64];
  private io!: VirtioIo;

  attach(io: VirtioIo): void {
    this.io = io;
  }

  notify(q: number): void {
    void serveEach(this.io, q, async (c) => scatter(this.io.dma, c.writable, randomBytes(Math.min(MAX_REQUEST, lengthOf(c.writable)))));
  }

  readConfig(): bigint {
    return 0n;
  }

  reset(): void {}
}
