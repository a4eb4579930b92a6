/**
 * The virtio-mmio transport, version 2 (virtio 1.2 §4.2.2), at one slot of
 * the board: registers, feature negotiation (VIRTIO_F_VERSION_1 required),
 * status, queue setup, the interrupt line and resets. It holds one
 * VirtioDevice, or none: an empty slot answers DeviceID 0, which drivers
 * skip, as QEMU's unused virtio-mmio slots do.
 *
 * The transport runs where the DMA port is (the VM's device node); its
 * registers are synchronous, the device's queue work is asynchronous.
 */
import type { MmioDevice } from '../device.js';
import type { GuestDma } from './guest-dma.js';
import type { VirtioDevice, VirtioIo } from './virtio-device.js';
import { Virtqueue } from './virtqueue.js';
import {
  DEVICE_ID, INT_CONFIG_CHANGE, INT_USED_BUFFER, MMIO_MAGIC, MMIO_VERSION, REG, STATUS, VENDOR_ID, VIRTIO_F_VERSION_1,
} from './virtio-regs.js';

export interface TransportContext {
  dma: GuestDma;
  /** Level of this slot's PLIC source. */
  irq(level: boolean): void;
  /** A guest or device error that made the device ask for a reset. */
  onError?(device: string, error: unknown): void;
}

interface QueueState {
  num: number;
  desc: bigint;
  driver: bigint;
  device: bigint;
  vq: Virtqueue | undefined;
  tail: Promise<void>;
}

const MASK32 = 0xffff_ffffn;
const freshQueue = (): QueueState => ({ num: 0, desc: 0n, driver: 0n, device: 0n, vq: undefined, tail: Promise.resolve() });
const setLow = (v: bigint, lo: bigint): bigint => (v & (MASK32 << 32n)) | (lo & MASK32);
const setHigh = (v: bigint, hi: bigint): bigint => ((hi & MASK32) << 32n) | (v & MASK32);

export class VirtioMmioTransport implements MmioDevice, VirtioIo {
  readonly name: string;
  private status = 0;
  private interruptStatus = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private accepted = 0n;
  private queueSel = 0;
  private queues: QueueState[];
  /** Chains completed on queues since retired (reset, re-setup). */
  private retiredPushed = 0;
  /** The level last sent: the line changes only on an edge (each change may be a message). */
  private line = false;

  constructor(private readonly ctx: TransportContext, readonly device?: VirtioDevice) {
    this.name = device?.name ?? 'virtio-mmio';
    this.queues = (device?.queueMax ?? []).map(freshQueue);
    device?.attach(this);
  }

  get dma(): GuestDma {
    return this.ctx.dma;
  }

  get driverFeatures(): bigint {
    return this.accepted;
  }

  private get offered(): bigint {
    return this.device ? this.device.features | VIRTIO_F_VERSION_1 : 0n;
  }

  read(offset: number, size: number): bigint {
    if (offset >= REG.config) return this.device?.readConfig(offset - REG.config, size) ?? 0n;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case REG.magic: return BigInt(MMIO_MAGIC);
      case REG.version: return BigInt(MMIO_VERSION);
      case REG.deviceId: return BigInt(this.device?.deviceId ?? DEVICE_ID.none);
      case REG.vendorId: return BigInt(VENDOR_ID);
      case REG.deviceFeatures: return this.deviceFeaturesSel > 1 ? 0n : (this.offered >> BigInt(32 * this.deviceFeaturesSel)) & MASK32;
      case REG.queueNumMax: return BigInt(this.device?.queueMax[this.queueSel] ?? 0);
      case REG.queueReady: return q?.vq ? 1n : 0n;
      case REG.interruptStatus: return BigInt(this.interruptStatus);
      case REG.status: return BigInt(this.status);
      case REG.configGeneration: return 0n;
      default: return 0n;
    }
  }

  write(offset: number, size: number, value: bigint): void {
    if (offset >= REG.config) return this.device?.writeConfig?.(offset - REG.config, size, value);
    const v = value & MASK32;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case REG.deviceFeaturesSel: this.deviceFeaturesSel = Number(v); break;
      case REG.driverFeaturesSel: this.driverFeaturesSel = Number(v); break;
      case REG.driverFeatures:
        if (this.driverFeaturesSel <= 1) {
          const shift = BigInt(32 * this.driverFeaturesSel);
          this.accepted = (this.accepted & ~(MASK32 << shift)) | (v << shift);
        }
        break;
      case REG.queueSel: this.queueSel = Number(v); break;
      case REG.queueNum: if (q) q.num = Number(v); break;
      case REG.queueDescLow: if (q) q.desc = setLow(q.desc, v); break;
      case REG.queueDescHigh: if (q) q.desc = setHigh(q.desc, v); break;
      case REG.queueDriverLow: if (q) q.driver = setLow(q.driver, v); break;
      case REG.queueDriverHigh: if (q) q.driver = setHigh(q.driver, v); break;
      case REG.queueDeviceLow: if (q) q.device = setLow(q.device, v); break;
      case REG.queueDeviceHigh: if (q) q.device = setHigh(q.device, v); break;
      case REG.queueReady: if (q) this.setReady(this.queueSel, v === 1n); break;
      case REG.queueNotify: this.notify(Number(v & 0xffffn)); break;
      case REG.interruptAck: this.interruptStatus &= ~Number(v); this.updateIrq(); break;
      case REG.status: this.setStatus(Number(v & 0xffn)); break;
      default: break;
    }
  }

  /** Requests (descriptor chains) this device has completed. */
  get completed(): number {
    return this.retiredPushed + this.queues.reduce((n, q) => n + (q.vq?.pushed ?? 0), 0);
  }

  private retire(q: QueueState): void {
    if (!q.vq) return;
    q.vq.retire();
    this.retiredPushed += q.vq.pushed;
    q.vq = undefined;
  }

  private setReady(index: number, ready: boolean): void {
    const q = this.queues[index]!;
    this.retire(q);
    if (!ready) return;
    const max = this.device?.queueMax[index] ?? 0;
    try {
      if (q.num > max) throw new RangeError(`queue ${index}: size ${q.num} above its maximum ${max}`);
      q.vq = new Virtqueue(this.ctx.dma, { size: q.num, desc: Number(q.desc), driver: Number(q.driver), device: Number(q.device) });
    } catch (e) {
      this.broken(e);
    }
  }

  private setStatus(v: number): void {
    if (v === 0) return this.reset();
    let next = v & ~STATUS.needsReset;
    if (next & STATUS.featuresOk && !(this.status & STATUS.featuresOk)) {
      // Only a subset of what was offered, and always virtio 1.x: else FEATURES_OK does not stick.
      const ok = (this.accepted & ~this.offered) === 0n && (this.accepted & VIRTIO_F_VERSION_1) !== 0n;
      if (!ok) next &= ~STATUS.featuresOk;
    }
    const becameOk = next & STATUS.driverOk && !(this.status & STATUS.driverOk);
    this.status = next | (this.status & STATUS.needsReset);
    if (becameOk) this.queues.forEach((_, i) => this.notify(i));
  }

  private notify(index: number): void {
    if (!(this.status & STATUS.driverOk) || this.status & STATUS.needsReset) return;
    if (this.queues[index]?.vq) this.device?.notify(index);
  }

  run(index: number, task: (vq: Virtqueue) => Promise<boolean>): Promise<void> {
    const q = this.queues[index];
    const vq = q?.vq;
    if (!q || !vq || !(this.status & STATUS.driverOk) || this.status & STATUS.needsReset) return Promise.resolve();
    q.tail = q.tail.then(async () => {
      if (!vq.live) return;
      try {
        if ((await task(vq)) && vq.live && (await vq.interruptWanted()) && vq.live) this.raise(INT_USED_BUFFER);
      } catch (e) {
        if (vq.live) this.broken(e);
      }
    });
    return q.tail;
  }

  /** A malformed request or a failed DMA: stop every queue and ask the driver for a reset. */
  private broken(e: unknown): void {
    this.ctx.onError?.(this.name, e);
    for (const q of this.queues) this.retire(q);
    this.status |= STATUS.needsReset;
    this.raise(INT_CONFIG_CHANGE);
  }

  private raise(bit: number): void {
    this.interruptStatus |= bit;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = this.interruptStatus !== 0;
    if (level === this.line) return;
    this.line = level;
    this.ctx.irq(level);
  }

  private reset(): void {
    for (const q of this.queues) this.retire(q);
    this.queues = (this.device?.queueMax ?? []).map(freshQueue);
    this.status = 0;
    this.accepted = 0n;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.queueSel = 0;
    this.interruptStatus = 0;
    this.device?.reset();
    this.updateIrq();
  }
}
