/** Operand values that find bugs: integer boundaries, shift amounts, IEEE
 * specials, conversion thresholds, and single-precision values with and
 * without proper NaN boxing (upper 32 bits all ones). */
import type { Rng } from './rng.js';

export const INT_VALUES: readonly bigint[] = [
  0n, 1n, 2n, 0xffffffffffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn,
  0x80000000n, 0x7fffffffn, 0xffffffffn, 0xffffffff80000000n, 0xffffffff7fffffffn, 0x100000000n,
  31n, 32n, 63n, 64n, 0xfffffffffffffffen, 0x5555555555555555n, 0xaaaaaaaaaaaaaaaan, 0x8000n, 0xffffn,
];

export const DOUBLE_BITS: readonly bigint[] = [
  0x0000000000000000n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n,
  0x3fe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n, 0xc004000000000000n, // 0.5 1.5 2.5 -2.5
  0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n, // ±inf, qNaN, -qNaN
  0x7ff0000000000001n, 0x7ff4000000000000n, 0x7ff8000000000123n,                        // sNaN, sNaN, NaN payload
  0x0000000000000001n, 0x000fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn,   // subnormals, min/max normal
  0x41e0000000000000n, 0xc1e0000000000000n, 0xc1e0000000200000n, 0x41dfffffffffffffn, // ±2^31, -2^31-1, <2^31
  0x41efffffffe00000n, 0x41f0000000000000n, 0x43e0000000000000n, 0xc3e0000000000000n, // 2^32-1, 2^32, ±2^63
  0x43f0000000000000n, 0x43efffffffffffffn, 0xbfefffffffffffffn, 0x3fefffffffffffffn,  // 2^64, <2^64, ∓(1-ε)
  0x400921fb54442d18n, 0x7e37e43c8800759cn, 0x36a0000000000000n, 0x47efffffe0000000n, // π, 1e300, 2^-149, FLT_MAX
];

export const SINGLE_BITS: readonly number[] = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000,
  0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0x7fc00123,
  0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff,
  0x4f000000, 0xcf000000, 0x4effffff, 0x4f800000, 0x4f7fffff, 0x5f000000, 0xdf000000, 0x5f800000,
  0x3f7fffff, 0xbf7fffff, 0x40490fdb,
];

const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** A 64-bit integer operand, as an assembler literal. */
export function intOperand(r: Rng): string {
  if (r.chance(0.6)) return hex(r.pick(INT_VALUES));
  if (r.chance(0.3)) return hex(BigInt(r.range(-4096, 4096)));
  return hex(r.u64());
}

/** 64 bits for an f register: a double, a NaN-boxed single, or a badly boxed single. */
export function floatOperandBits(r: Rng): bigint {
  const kind = r.weighted([[4, 'double'], [4, 'single'], [1, 'unboxed'], [1, 'random']] as const);
  switch (kind) {
    case 'double': return r.pick(DOUBLE_BITS);
    case 'single': return 0xffffffff00000000n | BigInt(r.pick(SINGLE_BITS));
    case 'unboxed': return (r.u64() & 0x7fffffff00000000n) | BigInt(r.pick(SINGLE_BITS)); // upper half not all ones
    case 'random': return r.u64();
  }
}

export { hex };
