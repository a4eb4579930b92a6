/**
 * virtio-console (virtio 1.2 §5.3), one port, no multiport: Linux's hvc
 * console over queue 0 (receive: host → guest) and queue 1 (transmit).
 * What the guest writes goes to `output`; `input(bytes)` queues host bytes
 * for the guest, delivered as soon as it has posted receive buffers.
 */
import { gather, scatter } from './virtqueue.js';
import { serveEach, type VirtioDevice, type VirtioIo } from './virtio-device.js';
import { DEVICE_ID } from './virtio-regs.js';

const RX = 0;
const TX = 1;

export class VirtioConsole implements VirtioDevice {
  readonly name = 'virtio-console';
  readonly deviceId = DEVICE_ID.console;
  readonly features = 0n;
  readonly queueMax = [64, 64];
  private io!: VirtioIo;
  private pending = new Uint8Array(0);

  constructor(private readonly output: (bytes: Uint8Array) => void) {}

  attach(io: VirtioIo): void {
    this.io = io;
  }

  /** Host bytes for the guest (kept until it posts receive buffers). */
  input(bytes: Uint8Array): void {
    const next = new Uint8Array(this.pending.length + bytes.length);
    next.set(this.pending);
    next.set(bytes, this.pending.length);
    this.pending = next;
    this.notify(RX);
  }

  notify(q: number): void {
    if (q === TX) void serveEach(this.io, TX, async (c) => { this.output(await gather(this.io.dma, c.readable)); return 0; });
    else if (q === RX) void this.io.run(RX, async (vq) => {
      let used = false;
      while (this.pending.length > 0) {
        const c = await vq.pop();
        if (!c) break;
        const n = await scatter(this.io.dma, c.writable, this.pending);
        this.pending = this.pending.subarray(n);
        await vq.push(c.head, n);
        used = true;
      }
      return used;
    });
  }

  readConfig(): bigint {
    return 0n; // cols, rows, max_nr_ports, emerg_wr: no feature offered that uses them
  }

  reset(): void {}
}
