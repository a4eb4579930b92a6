/**
 * What a device model is, what it may reach, and how it appears on a board.
 *
 * A device does not know where it is. The board places it (base, size,
 * IRQ) and the bus hands it offsets into its window, as cloud-hypervisor's
 * BusDevice gets `(offset, data)`. Each device file exports one
 * `DeviceKind`: how to build the model for a VM and how to describe it in
 * the device tree given its placement. Devices are synchronous register
 * machines; the bus in front of them is async so a remote node's MMIO goes
 * through the same interface.
 */
import type { FdtNode } from '../fdt/fdt-blob.js';

export interface MmioDevice {
  readonly name: string;
  /** `offset` is from the start of the device's window; `size` is 1, 2, 4 or 8 bytes. */
  read(offset: number, size: number): bigint;
  write(offset: number, size: number, value: bigint): void;
}

/** A device that takes interrupt lines from the others (the PLIC). */
export interface InterruptController extends MmioDevice {
  /** Wire from a device: the level of source `src`. */
  setLevel(src: number, level: boolean): void;
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

/** Where the board put a device: its window and, if it raises one, its PLIC source. */
export interface Window {
  base: number;
  size: number;
  irq?: number;
}

/** What a device's tree node may refer to (phandles are handed out by the tree builder). */
export interface FdtRefs {
  harts: number;
  /** phandle of hart h's `riscv,cpu-intc`. */
  intc(hart: number): number;
  /** phandle of the board's interrupt controller (the PLIC): `interrupt-parent` of devices with an IRQ. */
  irqParent: number;
  /** This device's own phandle (0 unless its kind asks for one). */
  phandle: number;
}

export interface DeviceKind {
  /** For messages and the board listing. */
  readonly name: string;
  /** Writes here may be posted: the hart queues them and goes on (in order); they never fault. */
  readonly postWrites?: boolean;
  /**
   * Builds the model for one VM. Absent when the device is not on the
   * coordinator's bus: the CLINT is served by the node of each hart.
   */
  create?(ctx: DeviceContext, at: Window): MmioDevice;
  /**
   * Served on the VM's device node (`--device-node`), next to the DSM its
   * DMA goes through, not by the coordinator: the virtio-mmio slots
   * (devices/virtio/virtio-slots.ts). The coordinator forwards these windows there.
   */
  readonly onDeviceNode?: boolean;
  /**
   * `interrupt-controller`: the bus wires every device's IRQ line to it and
   * it gets the first phandle after the cpus. `referenced`: other nodes
   * point at it, so it gets a phandle too.
   */
  readonly role?: 'interrupt-controller' | 'referenced';
  /** The guest console: /chosen's stdout-path names its node. */
  readonly console?: boolean;
  /** Its node under /soc. */
  fdt(at: Window, refs: FdtRefs): FdtNode;
  /** Nodes it adds at the root of the tree (the finisher's poweroff and reboot). */
  fdtRoot?(at: Window, refs: FdtRefs): FdtNode[];
}

/** The unit address of a node: `serial@10000000`. */
export const unitName = (name: string, base: number): string => `${name}@${base.toString(16)}`;
