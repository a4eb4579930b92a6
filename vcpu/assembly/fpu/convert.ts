// Conversions between the two formats and 32/64-bit integers, any rm.

import { raise, NV, NX, RNE, RTZ, RDN, RUP, RMM } from "./flags";
import {
  bias, canonNaN, infOf, isInf, isNaN, isSNaN, isZero, signOf, unpackSig,
  unpackedExp, zeroOf,
} from "./format";
import { roundPack } from "./round";

// Integer kinds of fcvt: W (i32), WU (u32), L (i64), LU (u64).
export const W: i32 = 0;
export const WU: i32 = 1;
export const L: i32 = 2;
export const LU: i32 = 3;

// Register value for an invalid conversion (NaN, inf, out of range).
function saturate(neg: bool, kind: i32): i64 {
  raise(NV);
  if (kind == W) return neg ? -0x80000000 : 0x7fffffff;
  if (kind == WU) return neg ? 0 : -1; // 0xffffffff sign-extended
  if (kind == L) return neg ? i64.MIN_VALUE : i64.MAX_VALUE;
  return neg ? 0 : -1;
}

// Magnitude of sig * 2^-sh rounded to an integer in mode rm (sh >= 1).
// Sets roundedInexact instead of NX: NX only counts if the result is valid.
let roundedInexact = false;
function roundShift(sig: u64, sh: i32, neg: bool, rm: i32): u64 {
  if (sh >= 64) {
    roundedInexact = true; // sig != 0 and < 2^63: below one half
    return (rm == RDN && neg) || (rm == RUP && !neg) ? 1 : 0;
  }
  let kept = sig >> sh;
  let rb = sig & ((<u64>1 << sh) - 1);
  let half = <u64>1 << (sh - 1);
  roundedInexact = rb != 0;
  let up = false;
  if (rm == RNE) up = rb > half || (rb == half && (kept & 1) != 0);
  else if (rm == RMM) up = rb >= half;
  else if (rm == RDN) up = neg && rb != 0;
  else if (rm == RUP) up = !neg && rb != 0;
  return up ? kept + 1 : kept;
}

export function toIntSoft(a: u64, rm: i32, kind: i32, d: bool): i64 {
  if (isNaN(a, d)) return saturate(false, kind);
  let neg = signOf(a, d);
  if (isInf(a, d)) return saturate(neg, kind);
  if (isZero(a, d)) return 0;
  let sig = unpackSig(a, d);
  let e = unpackedExp - bias(d); // value = sig * 2^(e - 62)
  if (e >= 64) return saturate(neg, kind);
  let mag: u64;
  roundedInexact = false;
  if (e >= 62) mag = sig << <u64>(e - 62);
  else mag = roundShift(sig, 62 - e, neg, rm);
  let limit: u64;
  if (kind == W) limit = neg ? 0x80000000 : 0x7fffffff;
  else if (kind == L) limit = neg ? <u64>1 << 63 : (<u64>1 << 63) - 1;
  else if (kind == WU) limit = neg ? 0 : 0xffffffff;
  else limit = neg ? 0 : u64.MAX_VALUE;
  if (mag > limit) return saturate(neg, kind);
  if (roundedInexact) raise(NX);
  let v: i64 = neg ? -(<i64>mag) : <i64>mag;
  return kind == WU ? <i64><i32>v : v; // 32-bit results are sign-extended
}

export function fromIntSoft(x: i64, rm: i32, kind: i32, d: bool): u64 {
  let v: i64 = x;
  if (kind == W) v = <i64><i32>x;
  else if (kind == WU) v = x & 0xffffffff;
  let neg = (kind == W || kind == L) && v < 0;
  let mag: u64 = neg ? <u64>(-v) : <u64>v;
  if (mag == 0) return 0;
  return roundPack(neg, bias(d) + 62, mag, rm, d);
}

// Narrowing double -> single.
export function narrowSoft(a: u64, rm: i32): u64 {
  if (isNaN(a, true)) {
    if (isSNaN(a, true)) raise(NV);
    return canonNaN(false);
  }
  let neg = signOf(a, true);
  if (isInf(a, true)) return infOf(neg, false);
  if (isZero(a, true)) return zeroOf(neg, false);
  let sig = unpackSig(a, true);
  return roundPack(neg, unpackedExp - bias(true) + bias(false), sig, rm, false);
}
