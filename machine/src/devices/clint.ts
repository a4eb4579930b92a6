/**
 * CLINT (SiFive core-local interruptor, as on QEMU virt): msip[h] at +4h,
 * mtimecmp[h] at +0x4000 + 8h, mtime at +0xBFF8, as offsets from wherever
 * the board puts it. It has no model on the coordinator's bus: the vCPU
 * worker of each node serves these registers for its own harts (and the
 * coordinator forwards other nodes' accesses to the owner), so the board's
 * placement only feeds the device tree and the address decoding
 * (`decodeClint` in virt-board.ts).
 */
import { node, prop } from '../fdt/fdt-blob.js';
import { unitName, type DeviceKind } from './device.js';
import { perHart } from './plic.js';

const MSIP = 0x0;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;
const MAX_HARTS = 4095;
/** The machine software and timer interrupt causes, as QEMU lists them per hart. */
const MSI = 3;
const MTI = 7;

export type ClintReg =
  | { reg: 'msip'; hart: number }
  /** `high` = the upper 32-bit half of a 64-bit register accessed as two words. */
  | { reg: 'mtimecmp'; hart: number; high: boolean }
  | { reg: 'mtime'; high: boolean }
  | { reg: 'none' };

/** The register at `off` bytes into the CLINT. */
export function clintRegister(off: number): ClintReg {
  if (off >= MSIP && off < MSIP + 4 * MAX_HARTS && (off & 3) === 0) return { reg: 'msip', hart: off >>> 2 };
  if (off >= MTIMECMP && off < MTIMECMP + 8 * MAX_HARTS && (off & 3) === 0) {
    return { reg: 'mtimecmp', hart: (off - MTIMECMP) >>> 3, high: (off & 4) !== 0 };
  }
  if (off === MTIME || off === MTIME + 4) return { reg: 'mtime', high: off === MTIME + 4 };
  return { reg: 'none' };
}

/** Read `size` bytes of a 64-bit register value, selecting the half if needed. */
export function sliceReg(value: bigint, high: boolean, size: number): bigint {
  if (size === 8) return value;
  return high ? (value >> 32n) & 0xffff_ffffn : value & 0xffff_ffffn;
}

/** Merge a 4- or 8-byte write into a 64-bit register value. */
export function mergeReg(old: bigint, high: boolean, size: number, value: bigint): bigint {
  if (size === 8) return BigInt.asUintN(64, value);
  const v = value & 0xffff_ffffn;
  return high ? (old & 0xffff_ffffn) | (v << 32n) : (old & 0xffff_ffff_0000_0000n) | v;
}

export const clint: DeviceKind = {
  name: 'clint',
  fdt: (at, refs) => node(unitName('clint', at.base), [
    ['interrupts-extended', prop.u32(...perHart(refs, MSI, MTI))],
    ['reg', prop.u64(at.base, at.size)],
    ['compatible', prop.str('sifive,clint0', 'riscv,clint0')],
  ]),
};
