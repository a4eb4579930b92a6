/**
 * The contract between the virtio-mmio transport and one virtio device
 * (blk, rng, console, net): a device is its ID, its features, its queues
 * and its config space; the transport does the registers, feature
 * negotiation, status, queue setup, interrupts and resets. A device serves
 * its queues through `VirtioIo.run`, which runs tasks on one queue one at a
 * time and turns any throw (ChainError, DmaError, a host error) into
 * DEVICE_NEEDS_RESET instead of a crash.
 *
 * @example A device that answers every chain on queue 0 with zero bytes:
 *   class Null implements VirtioDevice {
 *     readonly name = 'null'; readonly deviceId = 42; readonly features = 0n; readonly queueMax = [64];
 *     private io!: VirtioIo;
 *     attach(io: VirtioIo) { this.io = io; }
 *     notify(q: number) { void serveEach(this.io, q, async () => 0); }
 *     readConfig() { return 0n; }
 *     reset() {}
 *   }
 */
import type { GuestDma } from './guest-dma.js';
import type { DescriptorChain, Virtqueue } from './virtqueue.js';

export interface VirtioIo {
  readonly dma: GuestDma;
  /** The features the driver accepted (valid once FEATURES_OK). */
  readonly driverFeatures: bigint;
  /**
   * Run `task` on queue `q` after the tasks queued before it on `q`. A task
   * returns true when it added used buffers (the transport interrupts the
   * driver). Skipped while `q` is not ready or the device not DRIVER_OK.
   */
  run(q: number, task: (vq: Virtqueue) => Promise<boolean>): Promise<void>;
}

export interface VirtioDevice {
  /** For logs: `virtio-blk`. */
  readonly name: string;
  readonly deviceId: number;
  /** Device feature bits offered (the transport adds VIRTIO_F_VERSION_1). */
  readonly features: bigint;
  /** Largest size of each queue (their count is the length). */
  readonly queueMax: readonly number[];
  /** Called once by the transport before any other call. */
  attach(io: VirtioIo): void;
  /** The driver made buffers available on queue `q` (QueueNotify; also each queue at DRIVER_OK). */
  notify(q: number): void;
  /** Device config space (offsets from 0x100 of the window); unknown bytes read 0. */
  readConfig(offset: number, size: number): bigint;
  writeConfig?(offset: number, size: number, value: bigint): void;
  /** The driver reset the device (status 0): forget negotiated state. */
  reset(): void;
  /** Release host resources (a file) when the VM ends. */
  close?(): Promise<void>;
}

/** Serve every available chain of queue `q` with `handle`, which returns the bytes it wrote. */
export function serveEach(io: VirtioIo, q: number, handle: (chain: DescriptorChain) => Promise<number>): Promise<void> {
  return io.run(q, async (vq) => {
    let used = false;
    for (let c = await vq.pop(); c; c = await vq.pop()) {
      await vq.push(c.head, await handle(c));
      used = true;
    }
    return used;
  });
}

/** Little-endian `size`-byte read from a config-space image (0 past its end). */
export function configRead(bytes: Uint8Array, offset: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i] ?? 0);
  return v;
}
