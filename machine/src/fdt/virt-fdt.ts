/**
 * The device tree of a unum machine, shaped like QEMU virt's (7.2) so guests
 * written for `qemu-system-riscv64 -M virt` find what they expect, plus NUMA:
 * `numa-node-id` on every cpu and memory node and a `/distance-map`.
 */
import { CLINT_BASE, CLINT_SIZE, TIMEBASE_HZ } from '@unum/node-agent';
import { FINISHER_BASE, FINISHER_SIZE } from '../devices/test-finisher.js';
import { PLIC_BASE, PLIC_NDEV, PLIC_SIZE } from '../devices/plic.js';
import { UART_BASE, UART_CLOCK_HZ, UART_IRQ, UART_SIZE } from '../devices/uart.js';
import { encodeFdt, node, prop, type FdtNode } from './fdt-blob.js';

export const RISCV_ISA = 'rv64imafdc_zicsr_zifencei';

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
}

/** All on node 0: the single-node machine. */
export function singleNodeNuma(harts: number, ram: { base: number; size: number }): NumaLayout {
  return { nodes: 1, hartNode: new Array<number>(harts).fill(0), memory: [{ ...ram, node: 0 }] };
}

const hex = (n: number): string => n.toString(16);

export function buildVirtFdt(cfg: VirtFdtConfig): FdtNode {
  const numa = cfg.numa ?? singleNodeNuma(cfg.harts, cfg.ram);
  if (numa.hartNode.length !== cfg.harts) throw new RangeError('NUMA hart map does not match hart count');
  // phandles: cpu-intc of hart h = 1 + h, then the PLIC and the test device.
  const intc = (h: number): number => 1 + h;
  const plicPhandle = cfg.harts + 1;
  const testPhandle = cfg.harts + 2;

  const cpus = Array.from({ length: cfg.harts }, (_, h) =>
    node(`cpu@${h}`, [
      ['device_type', prop.str('cpu')],
      ['reg', prop.u32(h)],
      ['status', prop.str('okay')],
      ['compatible', prop.str('riscv')],
      ['riscv,isa', prop.str(RISCV_ISA)],
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

  const memories = numa.memory.map((m) =>
    node(`memory@${hex(m.base)}`, [
      ['device_type', prop.str('memory')],
      ['reg', prop.u64(m.base, m.size)],
      ['numa-node-id', prop.u32(m.node)],
    ]));

  const perHart = (mIrq: number, sIrq: number): number[] =>
    Array.from({ length: cfg.harts }, (_, h) => [intc(h), mIrq, intc(h), sIrq]).flat();

  const soc = node('soc', [
    ['#address-cells', prop.u32(2)],
    ['#size-cells', prop.u32(2)],
    ['compatible', prop.str('simple-bus')],
    ['ranges', prop.empty()],
  ], [
    node(`test@${hex(FINISHER_BASE)}`, [
      ['phandle', prop.u32(testPhandle)],
      ['reg', prop.u64(FINISHER_BASE, FINISHER_SIZE)],
      ['compatible', prop.str('sifive,test1', 'sifive,test0', 'syscon')],
    ]),
    node(`serial@${hex(UART_BASE)}`, [
      ['interrupts', prop.u32(UART_IRQ)],
      ['interrupt-parent', prop.u32(plicPhandle)],
      ['clock-frequency', prop.u32(UART_CLOCK_HZ)],
      ['reg', prop.u64(UART_BASE, UART_SIZE)],
      ['compatible', prop.str('ns16550a')],
    ]),
    node(`plic@${hex(PLIC_BASE)}`, [
      ['phandle', prop.u32(plicPhandle)],
      ['riscv,ndev', prop.u32(PLIC_NDEV)],
      ['reg', prop.u64(PLIC_BASE, PLIC_SIZE)],
      ['interrupts-extended', prop.u32(...perHart(11, 9))],
      ['interrupt-controller', prop.empty()],
      ['compatible', prop.str('sifive,plic-1.0.0', 'riscv,plic0')],
      ['#address-cells', prop.u32(0)],
      ['#interrupt-cells', prop.u32(1)],
    ]),
    node(`clint@${hex(CLINT_BASE)}`, [
      ['interrupts-extended', prop.u32(...perHart(3, 7))],
      ['reg', prop.u64(CLINT_BASE, CLINT_SIZE)],
      ['compatible', prop.str('sifive,clint0', 'riscv,clint0')],
    ]),
  ]);

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
      ['bootargs', prop.str(cfg.bootargs)],
      ['stdout-path', prop.str(`/soc/serial@${hex(UART_BASE)}`)],
    ]),
    node('poweroff', [
      ['value', prop.u32(0x5555)], ['offset', prop.u32(0)], ['regmap', prop.u32(testPhandle)],
      ['compatible', prop.str('syscon-poweroff')],
    ]),
    node('reboot', [
      ['value', prop.u32(0x7777)], ['offset', prop.u32(0)], ['regmap', prop.u32(testPhandle)],
      ['compatible', prop.str('syscon-reboot')],
    ]),
    ...memories,
    node('cpus', [
      ['#address-cells', prop.u32(1)],
      ['#size-cells', prop.u32(0)],
      ['timebase-frequency', prop.u32(TIMEBASE_HZ)],
    ], cpus),
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
