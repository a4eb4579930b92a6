// Comparisons, min/max (RISC-V 2.2+ semantics) and fclass, both formats.

import { raise, NV } from "./flags";
import {
  canonNaN, expMax, expOf, fracOf, isNaN, isSNaN, isZero, signOf,
} from "./format";

// Total order on non-NaN values with -0 < +0.
function lessOrdered(a: u64, b: u64, d: bool): bool {
  let sa = signOf(a, d), sb = signOf(b, d);
  if (sa != sb) return sa;
  return sa ? a > b : a < b;
}

export function eqSoft(a: u64, b: u64, d: bool): i32 {
  if (isNaN(a, d) || isNaN(b, d)) {
    if (isSNaN(a, d) || isSNaN(b, d)) raise(NV);
    return 0;
  }
  return a == b || (isZero(a, d) && isZero(b, d)) ? 1 : 0;
}

export function ltSoft(a: u64, b: u64, d: bool): i32 {
  if (isNaN(a, d) || isNaN(b, d)) { raise(NV); return 0; }
  if (isZero(a, d) && isZero(b, d)) return 0;
  return lessOrdered(a, b, d) ? 1 : 0;
}

export function leSoft(a: u64, b: u64, d: bool): i32 {
  if (isNaN(a, d) || isNaN(b, d)) { raise(NV); return 0; }
  if (isZero(a, d) && isZero(b, d)) return 1;
  return a == b || lessOrdered(a, b, d) ? 1 : 0;
}

export function minMaxSoft(a: u64, b: u64, wantMax: bool, d: bool): u64 {
  let na = isNaN(a, d), nb = isNaN(b, d);
  if (na || nb) {
    if (isSNaN(a, d) || isSNaN(b, d)) raise(NV);
    if (na && nb) return canonNaN(d);
    return na ? b : a;
  }
  return lessOrdered(a, b, d) != wantMax ? a : b;
}

export function classSoft(a: u64, d: bool): u32 {
  let neg = signOf(a, d);
  let e = expOf(a, d);
  let f = fracOf(a, d);
  let bit: i32;
  if (e == expMax(d)) {
    if (f == 0) bit = neg ? 0 : 7;
    else bit = isSNaN(a, d) ? 8 : 9;
  } else if (e == 0) {
    if (f == 0) bit = neg ? 3 : 4;
    else bit = neg ? 2 : 5;
  } else {
    bit = neg ? 1 : 6;
  }
  return <u32>1 << bit;
}
