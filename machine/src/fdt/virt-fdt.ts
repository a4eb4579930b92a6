/**
 * The device tree of a unum machine, shaped like QEMU virt's (7.2) so guests
 * written for `qemu-system-riscv64 -M virt` find what they expect, plus NUMA:
 * `numa-node-id` on every cpu and memory node and a `/distance-map`.
 * Nothing here is per device: the nodes under /soc, the root nodes a device
 * adds (the finisher's /poweroff and /reboot) and /chosen's stdout-path all
 * come from the board's placements and each device's `fdt()`.
 */
import type { Board, Placement } from '../board/board.js';
import { TIMEBASE_HZ } from '../board/memory-map.js';
import { virtBoard } from '../board/virt-board.js';
import type { FdtRefs } from '../devices/device.js';
import { chosenProps } from './chosen.js';
import { encodeFdt, node, prop, type FdtNode } from './fdt-blob.js';

/** What the engine implements (docs/vcpu.md, "ISA string"); Linux 6.1 reads `riscv,isa`, newer kernels the list. */
export const RISCV_ISA = 'rv64imafdc_zicsr_zifencei_zihintpause_sstc';
export const RISCV_ISA_EXTENSIONS = ['i', 'm', 'a', 'f', 'd', 'c', 'zicntr', 'zicsr', 'zifencei', 'zihintpause', 'sstc'];

export interface NumaLayout {
  /** Number of NUMA nodes (one per unum node). */
  nodes: number;
  /** hartNode[h] = NUMA node of hart h. */
  hartNode: number[];
  /** RAM ranges and the node each lives on; together they cover guest RAM. */
  memory: Array<{ base: number; size: number; node: number }>;
  /** distance[i][j]; defaults to 10 on the diagonal, 20 elsewhere. */
  distance?: number[][];
}

export interface VirtFdtConfig {
  harts: number;
  ram: { base: number; size: number };
  bootargs: string;
  numa?: NumaLayout;
  /** The devices (default: the virt board). */
  board?: Board;
  /** /chosen/linux,initrd-start and -end (end exclusive). */
  initrd?: { start: number; end: number };
  /** /chosen/rng-seed (the VM passes 64 random bytes from the host). */
  rngSeed?: Uint8Array;
}

/** All on node 0: the single-node machine. */
export function singleNodeNuma(harts: number, ram: { base: number; size: number }): NumaLayout {
  return { nodes: 1, hartNode: new Array<number>(harts).fill(0), memory: [{ ...ram, node: 0 }] };
}

const hex = (n: number): string => n.toString(16);

export function buildVirtFdt(cfg: VirtFdtConfig): FdtNode {
  const numa = cfg.numa ?? singleNodeNuma(cfg.harts, cfg.ram);
  if (numa.hartNode.length !== cfg.harts) throw new RangeError('NUMA hart map does not match hart count');
  const board = cfg.board ?? virtBoard();
  // phandles: cpu-intc of hart h = 1 + h, then the interrupt controller (the
  // PLIC), then the devices others refer to (the test finisher), in board
  // order, then the cpu nodes (for /cpus/cpu-map).
  const intc = (h: number): number => 1 + h;
  const phandles = new Map<Placement, number>();
  const wanting = [
    ...board.placements.filter((p) => p.device.role === 'interrupt-controller'),
    ...board.placements.filter((p) => p.device.role === 'referenced'),
  ];
  wanting.forEach((p, i) => phandles.set(p, cfg.harts + 1 + i));
  const controller = board.placements.find((p) => p.device.role === 'interrupt-controller');
  const refs = (p: Placement): FdtRefs => ({
    harts: cfg.harts, intc, irqParent: controller ? phandles.get(controller)! : 0, phandle: phandles.get(p) ?? 0,
  });
  const window = (p: Placement) => ({ base: p.base, size: p.size, irq: p.irq });
  const devices = board.placements.map((p) => p.device.fdt(window(p), refs(p)));
  const rootNodes = board.placements.flatMap((p) => p.device.fdtRoot?.(window(p), refs(p)) ?? []);
  const consoleAt = board.placements.findIndex((p) => p.device.console);
  const cpuPhandle = (h: number): number => cfg.harts + 1 + wanting.length + h;

  const cpus = Array.from({ length: cfg.harts }, (_, h) =>
    node(`cpu@${h}`, [
      ['phandle', prop.u32(cpuPhandle(h))],
      ['device_type', prop.str('cpu')],
      ['reg', prop.u32(h)],
      ['status', prop.str('okay')],
      ['compatible', prop.str('riscv')],
      ['riscv,isa', prop.str(RISCV_ISA)],
      ['riscv,isa-base', prop.str('rv64i')],
      ['riscv,isa-extensions', prop.str(...RISCV_ISA_EXTENSIONS)],
      ['mmu-type', prop.str('riscv,sv39')],
      ['numa-node-id', prop.u32(numa.hartNode[h]!)],
    ], [
      node('interrupt-controller', [
        ['#interrupt-cells', prop.u32(1)],
        ['interrupt-controller', prop.empty()],
        ['compatible', prop.str('riscv,cpu-intc')],
        ['phandle', prop.u32(intc(h))],
      ]),
    ]));

  // One cluster per NUMA node (unum node), cores numbered within it: QEMU's
  // layout with one socket per node; a single node is QEMU's cluster0.
  const clusters = Array.from({ length: numa.nodes }, (_, n) => {
    const harts = numa.hartNode.flatMap((owner, h) => (owner === n ? [h] : []));
    return node(`cluster${n}`, [], harts.map((h, i) => node(`core${i}`, [['cpu', prop.u32(cpuPhandle(h))]])));
  }).filter((c) => c.children.length > 0);
  const cpuMap = node('cpu-map', [], clusters);

  const memories = numa.memory.map((m) =>
    node(`memory@${hex(m.base)}`, [
      ['device_type', prop.str('memory')],
      ['reg', prop.u64(m.base, m.size)],
      ['numa-node-id', prop.u32(m.node)],
    ]));

  const soc = node('soc', [
    ['#address-cells', prop.u32(2)],
    ['#size-cells', prop.u32(2)],
    ['compatible', prop.str('simple-bus')],
    ['ranges', prop.empty()],
  ], devices);

  const distance = numa.distance
    ?? Array.from({ length: numa.nodes }, (_, i) => Array.from({ length: numa.nodes }, (_, j) => (i === j ? 10 : 20)));
  const matrix: number[] = [];
  for (let i = 0; i < numa.nodes; i++) for (let j = 0; j < numa.nodes; j++) matrix.push(i, j, distance[i]![j]!);

  return node('', [
    ['#address-cells', prop.u32(2)],
    ['#size-cells', prop.u32(2)],
    ['compatible', prop.str('riscv-virtio')],
    ['model', prop.str('riscv-virtio,qemu')],
  ], [
    node('chosen', [
      ...chosenProps({ initrd: cfg.initrd, rngSeed: cfg.rngSeed }),
      ['bootargs', prop.str(cfg.bootargs)],
      ...(consoleAt >= 0 ? [['stdout-path', prop.str(`/soc/${devices[consoleAt]!.name}`)] as [string, Uint8Array]] : []),
    ]),
    ...rootNodes,
    ...memories,
    node('cpus', [
      ['#address-cells', prop.u32(1)],
      ['#size-cells', prop.u32(0)],
      ['timebase-frequency', prop.u32(TIMEBASE_HZ)],
    ], [...cpus, cpuMap]),
    node('distance-map', [
      ['compatible', prop.str('numa-distance-map-v1')],
      ['distance-matrix', prop.u32(...matrix)],
    ]),
    soc,
  ]);
}

export function virtFdtBlob(cfg: VirtFdtConfig): Uint8Array {
  return encodeFdt(buildVirtFdt(cfg));
}

/** Where QEMU puts the FDT: 2 MiB-aligned, just below the end of RAM (or 3 GiB). */
export function fdtAddress(ram: { base: number; size: number }, blobSize: number): number {
  const end = ram.base < 3 * 2 ** 30 ? Math.min(ram.base + ram.size, 3 * 2 ** 30) : ram.base + ram.size;
  const align = 2 * 2 ** 20;
  const addr = Math.floor((end - blobSize) / align) * align;
  if (addr < ram.base) throw new RangeError('RAM too small for the device tree');
  return addr;
}
