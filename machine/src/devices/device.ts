/**
 * What a device model is and what it may reach. Devices are synchronous
 * register machines; the bus in front of them is async so that a remote
 * node's MMIO can be forwarded through the same interface later.
 * Each device file registers its factory with `registerDevice` (kvmtool
 * style), and `devices/index.ts` imports them all.
 */
export interface MmioDevice {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** Writes here may be posted: the hart queues them and goes on (in order). */
  readonly postWrites?: boolean;
  read(offset: number, size: number): bigint;
  write(offset: number, size: number, value: bigint): void;
}

/** Host end of the guest console (the UART's wire). */
export interface ConsolePort {
  write(bytes: Uint8Array): void;
  /** The UART calls this once; the port pushes host input bytes through it. */
  onInput(receive: (bytes: Uint8Array) => void): void;
}

/** Why the guest asked to stop, as written to the test finisher. */
export type FinishOutcome =
  | { kind: 'pass' }
  | { kind: 'fail'; code: number }
  | { kind: 'reset' };

export interface DeviceContext {
  harts: number;
  console: ConsolePort;
  /** Level of a PLIC interrupt source (wire from device to PLIC). */
  irqLine(source: number, level: boolean): void;
  /** Level of a hart's external interrupt pin: MEIP ('M') or SEIP ('S'). */
  hartExternalIrq(hart: number, mode: 'M' | 'S', level: boolean): void;
  finish(outcome: FinishOutcome): void;
}

export type DeviceFactory = (ctx: DeviceContext) => MmioDevice;

const factories = new Map<string, DeviceFactory>();

export function registerDevice(name: string, factory: DeviceFactory): void {
  if (factories.has(name)) throw new Error(`device ${name} registered twice`);
  factories.set(name, factory);
}

export function registeredDevices(): ReadonlyMap<string, DeviceFactory> {
  return factories;
}
