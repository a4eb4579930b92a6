// One description of the two IEEE binary formats so every soft-float
// routine serves both single (f32 bits in a u64) and double precision.
//
// Unpacked finite nonzero values use one convention everywhere:
//   value = sig * 2^(exp - bias - 62),  sig normalized to bit 62,
// with exp the biased exponent (may go below 1 for subnormal inputs).

import { NV, raise } from "./flags";

export const CANON_S: u64 = 0x7fc00000;
export const CANON_D: u64 = 0x7ff8000000000000;

// @ts-ignore: decorator
@inline export function fracBits(d: bool): i32 { return d ? 52 : 23; }
// @ts-ignore: decorator
@inline export function expMax(d: bool): i32 { return d ? 0x7ff : 0xff; }
// @ts-ignore: decorator
@inline export function bias(d: bool): i32 { return d ? 1023 : 127; }
// @ts-ignore: decorator
@inline export function canonNaN(d: bool): u64 { return d ? CANON_D : CANON_S; }

// @ts-ignore: decorator
@inline export function signOf(x: u64, d: bool): bool {
  return ((x >> (d ? 63 : 31)) & 1) != 0;
}
// @ts-ignore: decorator
@inline export function expOf(x: u64, d: bool): i32 {
  return <i32>(x >> fracBits(d)) & expMax(d);
}
// @ts-ignore: decorator
@inline export function fracOf(x: u64, d: bool): u64 {
  return x & ((<u64>1 << fracBits(d)) - 1);
}
// @ts-ignore: decorator
@inline export function signBit(d: bool): u64 { return d ? <u64>1 << 63 : <u64>1 << 31; }

export function isNaN(x: u64, d: bool): bool {
  return expOf(x, d) == expMax(d) && fracOf(x, d) != 0;
}
export function isInf(x: u64, d: bool): bool {
  return expOf(x, d) == expMax(d) && fracOf(x, d) == 0;
}
export function isSNaN(x: u64, d: bool): bool {
  return isNaN(x, d) && (x & (<u64>1 << (fracBits(d) - 1))) == 0;
}
// @ts-ignore: decorator
@inline export function isZero(x: u64, d: bool): bool {
  return (x & ~signBit(d)) == 0;
}

// Canonical NaN result; NV when any operand is signaling.
export function nanResult(a: u64, b: u64, d: bool): u64 {
  if (isSNaN(a, d) || isSNaN(b, d)) raise(NV);
  return canonNaN(d);
}

export function infOf(sign: bool, d: bool): u64 {
  return (sign ? signBit(d) : 0) | (<u64>expMax(d) << fracBits(d));
}
export function zeroOf(sign: bool, d: bool): u64 {
  return sign ? signBit(d) : 0;
}

// Unpacking of a finite nonzero operand: sig (bit 62) into the return
// value, the biased exponent into unpackedExp.
export let unpackedExp: i32 = 0;
export function unpackSig(x: u64, d: bool): u64 {
  let e = expOf(x, d);
  let f = fracOf(x, d);
  let fb = fracBits(d);
  if (e == 0) {
    // subnormal: normalize
    let lz = <i32>clz(f) - (63 - fb); // shift making bit fb the leading one
    f <<= lz;
    e = 1 - lz;
  } else {
    f |= <u64>1 << fb;
  }
  unpackedExp = e;
  return f << (62 - fb);
}

// Right shift that ORs every bit shifted out into bit 0 ("sticky").
export function shiftRightJam(x: u64, n: i32): u64 {
  if (n <= 0) return x;
  if (n >= 63) return x != 0 ? 1 : 0;
  return (x >> n) | ((x & ((<u64>1 << n) - 1)) != 0 ? 1 : 0);
}
