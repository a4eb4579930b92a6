/**
 * DeviceHost: the VM's virtio devices on its device node (`--device-node`,
 * VmSetup.device_node). It opens the drives and TAPs, builds the devices in
 * command-line order into the board's virtio-mmio slots (VirtioSlots), and
 * gives them this node's DSM-coherent GuestDma. Its registers are reached
 * two ways: by this node's harts directly (`bus`: the device windows here,
 * everything else to the coordinator) and by harts on other nodes through
 * the coordinator (`access`, a forwarded ClintAccess). IRQ lines and
 * virtio-console output go to the coordinator as messages, where the PLIC
 * and the console are.
 */
import { basename } from 'node:path';
import {
  RawImage, VirtioBlk, VirtioConsole, VirtioNet, VirtioRng, VirtioSlots, type Board, type MmioBus, type VirtioDevice, type Window,
} from '@unum/machine';
import { TapPort } from '../net/tap-port.js';
import type { VirtioDeviceSpec } from '@unum/protos/cluster';
import type { IoStats, NetStats } from '@unum/protos/stats';
import type { Logger } from 'pino';
import type { DsmGuestDma } from './dsm-guest-dma.js';
import { DeviceOpenError } from './device-open-error.js';

export interface DeviceHostContext {
  board: Board;
  dma: DsmGuestDma;
  irqLine(source: number, level: boolean): void;
  consoleOutput(bytes: Uint8Array): void;
  logger: Logger;
}

export class DeviceHost {
  private readonly windows: Window[];

  private constructor(
    private readonly slots: VirtioSlots, private readonly dma: DsmGuestDma, board: Board,
    private readonly consoles: readonly VirtioConsole[], private readonly nics: readonly VirtioNet[],
  ) {
    this.windows = board.deviceNodeWindows();
  }

  /** Opens every drive (a missing or unwritable file rejects with the fs error) and builds the slots. */
  static async create(specs: readonly VirtioDeviceSpec[], ctx: DeviceHostContext): Promise<DeviceHost> {
    const devices: VirtioDevice[] = [];
    try {
      for (const [i, spec] of specs.entries()) devices.push(await deviceOf(spec, i, ctx));
    } catch (e) {
      await Promise.all(devices.map((d) => d.close?.()));
      throw e;
    }
    const slots = new VirtioSlots(ctx.board, devices, {
      dma: ctx.dma,
      irqLine: ctx.irqLine,
      onError: (device, error) => ctx.logger.warn({ device, error: error instanceof Error ? error.message : String(error) }, 'virtio device needs a reset'),
    });
    return new DeviceHost(slots, ctx.dma, ctx.board, devices.filter((d): d is VirtioConsole => d instanceof VirtioConsole),
      devices.filter((d): d is VirtioNet => d instanceof VirtioNet));
  }

  /** Whether `gpa` is a register this host serves. */
  serves(gpa: number): boolean {
    return this.windows.some((w) => gpa >= w.base && gpa < w.base + w.size);
  }

  /** A register access (from a hart here, or forwarded by the coordinator); the value read (0 for writes). */
  access(gpa: number, size: number, write: boolean, value: bigint): bigint {
    if (!write) return this.slots.read(gpa, size);
    this.slots.write(gpa, size, value);
    return 0n;
  }

  /** Host console input: to every virtio console (each keeps it until its guest posts receive buffers). */
  consoleInput(bytes: Uint8Array): void {
    for (const c of this.consoles) c.input(bytes);
  }

  stats(): IoStats {
    return { requests: this.slots.requests(), ...this.dma.counts, net: this.nics.length > 0 ? netStats(this.nics) : undefined };
  }

  close(): Promise<void> {
    return this.slots.close();
  }
}

/**
 * The device node's harts' MMIO: the device windows served by `host()` here
 * at once (no round trip to the coordinator), the rest through `rest`. The
 * host is looked up per access because it is built after the NodeAgent.
 */
export function routeDeviceWindows(rest: MmioBus, host: () => DeviceHost | undefined): MmioBus {
  return {
    read: (gpa, size) => {
      const h = host();
      return h?.serves(gpa) ? Promise.resolve(h.access(gpa, size, false, 0n)) : rest.read(gpa, size);
    },
    write: (gpa, size, value) => {
      const h = host();
      if (!h?.serves(gpa)) return rest.write(gpa, size, value);
      h.access(gpa, size, true, value);
      return Promise.resolve();
    },
  };
}

async function deviceOf(spec: VirtioDeviceSpec, index: number, ctx: DeviceHostContext): Promise<VirtioDevice> {
  const k = spec.kind;
  switch (k?.$case) {
    case 'drive': {
      const image = await opening(`--drive file=${k.value.file}`, () => RawImage.open(k.value.file, k.value.readonly));
      return new VirtioBlk(image, `unum-${index}-${basename(k.value.file)}`.slice(0, 20));
    }
    case 'rng': return new VirtioRng();
    case 'console': return new VirtioConsole((bytes) => ctx.consoleOutput(bytes));
    case 'net': return new VirtioNet(await opening(`--netdev tap,ifname=${k.value.ifname}`, () => TapPort.open(k.value.ifname)), k.value.mac);
    default: throw new Error(`unknown virtio device ${JSON.stringify(spec)}`);
  }
}

/** What `open` throws, as the VM's bad input named by its flag. */
async function opening<T>(flag: string, open: () => T | Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (e) {
    throw new DeviceOpenError(`${flag}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Every NIC's counters, summed. */
function netStats(nics: readonly VirtioNet[]): NetStats {
  const sum = { rxFrames: 0, rxBytes: 0, txFrames: 0, txBytes: 0, rxDropped: 0 };
  for (const n of nics) for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += n.counters[k];
  return sum;
}
