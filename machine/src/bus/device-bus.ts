/**
 * DeviceBus: the coordinator's MMIO bus. Builds every registered device for
 * one VM, wires UART → PLIC → hart interrupt pins, and routes accesses by
 * address. It is the `MmioBus` a NodeAgent forwards device accesses to.
 */
import { NoDevice, type MmioBus, type MmioWindow } from '@unum/node-agent';
import './index.js';
import { registeredDevices, type DeviceContext, type MmioDevice } from './device.js';
import { Plic } from './plic.js';

export type BusContext = Omit<DeviceContext, 'irqLine'>;

export class DeviceBus implements MmioBus {
  readonly devices: MmioDevice[];
  /** Accesses that hit no device. */
  unmapped = 0;

  constructor(ctx: BusContext) {
    let plic: Plic | undefined;
    const full: DeviceContext = { ...ctx, irqLine: (src, level) => plic?.setLevel(src, level) };
    this.devices = [...registeredDevices().values()].map((make) => make(full));
    plic = this.devices.find((d): d is Plic => d instanceof Plic);
    this.devices.sort((a, b) => a.base - b.base);
  }

  /** Windows of the devices whose writes harts may post (NodeAgentConfig.postedWrites). */
  postedWindows(): MmioWindow[] {
    return this.devices.filter((d) => d.postWrites).map((d) => ({ base: d.base, size: d.size }));
  }

  find(gpa: number): MmioDevice | undefined {
    return this.devices.find((d) => gpa >= d.base && gpa < d.base + d.size);
  }

  /** MmioBus: rejects with NoDevice where nothing is mapped (the hart faults). */
  async read(gpa: number, size: number): Promise<bigint> {
    const d = this.device(gpa);
    return d.read(gpa - d.base, size);
  }

  async write(gpa: number, size: number, value: bigint): Promise<void> {
    const d = this.device(gpa);
    d.write(gpa - d.base, size, value);
  }

  private device(gpa: number): MmioDevice {
    const d = this.find(gpa);
    if (d) return d;
    this.unmapped++;
    throw new NoDevice(gpa);
  }

  /** Synchronous access for callers that cannot fault the hart: unmapped reads 0, writes are dropped. */
  readSync(gpa: number, size: number): bigint {
    const d = this.find(gpa);
    if (!d) {
      this.unmapped++;
      return 0n;
    }
    return d.read(gpa - d.base, size);
  }

  writeSync(gpa: number, size: number, value: bigint): void {
    const d = this.find(gpa);
    if (!d) {
      this.unmapped++;
      return;
    }
    d.write(gpa - d.base, size, value);
  }
}
