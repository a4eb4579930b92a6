/**
 * CLINT register map (QEMU virt / SiFive): one decoder used by the vCPU
 * worker, which serves the CLINT for its own harts, and by the coordinator's
 * FDT. msip[h] at +4h, mtimecmp[h] at +0x4000 + 8h, mtime at +0xBFF8.
 */
export const CLINT_BASE = 0x0200_0000;
export const CLINT_SIZE = 0x1_0000;
const MSIP = 0x0;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;
const MAX_HARTS = 4095;

export type ClintReg =
  | { reg: 'msip'; hart: number }
  /** `high` = the upper 32-bit half of a 64-bit register accessed as two words. */
  | { reg: 'mtimecmp'; hart: number; high: boolean }
  | { reg: 'mtime'; high: boolean }
  | { reg: 'none' };

export function isClint(gpa: number): boolean {
  return gpa >= CLINT_BASE && gpa < CLINT_BASE + CLINT_SIZE;
}

export function decodeClint(gpa: number): ClintReg {
  const off = gpa - CLINT_BASE;
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
