// Single-precision operations. Fast path (rm == RNE): compute in f64, where
// f32 products are exact and sums/quotients/roots carry enough extra bits
// that one demotion to f32 rounds correctly; exactness comes from TwoSum or
// exact f64 back-multiplication. Anything near a special case (non-normal
// result, a possible double-rounding tie, NaN, inf, zero) falls through to
// the integer soft-float path, which is exact in every mode.

import { raise, NX, RNE } from "./flags";
import { addSoft, mulSoft } from "./arith";
import { divSoft, sqrtSoft } from "./divsqrt";
import { fmaSoft } from "./fma";
import { classSoft, eqSoft, leSoft, ltSoft, minMaxSoft } from "./compare";

// Result exponent field in [2, 254]: normal, not the smallest binade (where
// tininess after rounding could still apply) and finite.
// @ts-ignore: decorator
@inline function safeS(r: u32): bool {
  return ((r >> 23) & 0xff) - 2 < 253;
}

// f64 value lying exactly halfway between two f32 values: demoting it again
// would be a second rounding decision, so the soft path decides instead.
// @ts-ignore: decorator
@inline function halfwayS(x: f64): bool {
  return (reinterpret<u64>(x) & 0x1fffffff) == 0x10000000;
}

// @ts-ignore: decorator
@inline function wide(a: u32): f64 { return <f64>reinterpret<f32>(a); }

// Exact-sum fast path shared by add and fma: s + err == x exactly.
// @ts-ignore: decorator
@inline function sumFast(x: f64, y: f64): u32 {
  let s = x + y;
  let r = <f32>s;
  let rb = reinterpret<u32>(r);
  if (!safeS(rb)) return 0;
  let t = s - x;
  let err = (x - (s - t)) + (y - t);
  if (err != 0) {
    if (halfwayS(s)) return 0;
    raise(NX);
  } else if (<f64>r != s) raise(NX);
  return rb;
}

export function add_s(a: u32, b: u32, rm: i32): u32 {
  if (rm == RNE) {
    let r = sumFast(wide(a), wide(b));
    if (r != 0) return r;
  }
  return <u32>addSoft(a, b, rm, false);
}

export function sub_s(a: u32, b: u32, rm: i32): u32 {
  return add_s(a, b ^ 0x80000000, rm);
}

export function mul_s(a: u32, b: u32, rm: i32): u32 {
  if (rm == RNE) {
    let p = wide(a) * wide(b); // exact: 24 x 24 bits
    let r = <f32>p;
    let rb = reinterpret<u32>(r);
    if (safeS(rb)) {
      if (<f64>r != p) raise(NX);
      return rb;
    }
  }
  return <u32>mulSoft(a, b, rm, false);
}

export function div_s(a: u32, b: u32, rm: i32): u32 {
  if (rm == RNE) {
    let x = wide(a), y = wide(b);
    let q = x / y;
    let r = <f32>q;
    let rb = reinterpret<u32>(r);
    if (safeS(rb) && !halfwayS(q)) {
      if (<f64>r * y != x) raise(NX); // r*y is exact in f64
      return rb;
    }
  }
  return <u32>divSoft(a, b, rm, false);
}

export function sqrt_s(a: u32, rm: i32): u32 {
  if (rm == RNE) {
    let x = wide(a);
    let q = sqrt<f64>(x);
    let r = <f32>q;
    let rb = reinterpret<u32>(r);
    if (safeS(rb) && !halfwayS(q)) {
      let rd = <f64>r;
      if (rd * rd != x) raise(NX);
      return rb;
    }
  }
  return <u32>sqrtSoft(a, rm, false);
}

export function fma_s(
  a: u32, b: u32, c: u32, rm: i32, negProduct: bool, negAddend: bool,
): u32 {
  if (rm == RNE) {
    let p = wide(a) * wide(b); // exact
    let z = wide(c);
    let r = sumFast(negProduct ? -p : p, negAddend ? -z : z);
    if (r != 0) return r;
  }
  return <u32>fmaSoft(a, b, c, rm, negProduct, negAddend, false);
}

export function min_s(a: u32, b: u32): u32 { return <u32>minMaxSoft(a, b, false, false); }
export function max_s(a: u32, b: u32): u32 { return <u32>minMaxSoft(a, b, true, false); }
export function eq_s(a: u32, b: u32): i32 { return eqSoft(a, b, false); }
export function lt_s(a: u32, b: u32): i32 { return ltSoft(a, b, false); }
export function le_s(a: u32, b: u32): i32 { return leSoft(a, b, false); }
export function class_s(a: u32): u32 { return classSoft(a, false); }
