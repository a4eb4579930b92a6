// Double-precision operations. Fast path (rm == RNE): the native wasm op is
// already correctly rounded; we only need to know whether it was exact.
// add: TwoSum error; mul/div/sqrt: the low 64 bits of an integer product of
// significands (the true error is far below 2^64, so low bits decide
// exactness). Non-normal operands/results, NaN, inf and the smallest binade
// go to the integer soft-float path, which is exact in every mode.

import { raise, NX, RNE } from "./flags";
import { addSoft, mulSoft } from "./arith";
import { divSoft, sqrtSoft } from "./divsqrt";
import { fmaSoft } from "./fma";
import { classSoft, eqSoft, leSoft, ltSoft, minMaxSoft } from "./compare";

const FRAC: u64 = 0x000fffffffffffff;
const IMPL: u64 = 0x0010000000000000;

// @ts-ignore: decorator
@inline function fieldD(x: u64): u32 { return <u32>(x >> 52) & 0x7ff; }
// Exponent field in [1, 2046]: normal operand.
// @ts-ignore: decorator
@inline function normalD(e: u32): bool { return e - 1 < 2046; }
// Exponent field in [2, 2046]: normal result outside the smallest binade.
// @ts-ignore: decorator
@inline function safeD(e: u32): bool { return e - 2 < 2045; }
// @ts-ignore: decorator
@inline function sigD(x: u64): u64 { return (x & FRAC) | IMPL; }

export function add_d(a: u64, b: u64, rm: i32): u64 {
  if (rm == RNE) {
    let x = reinterpret<f64>(a), y = reinterpret<f64>(b);
    let s = x + y;
    let sb = reinterpret<u64>(s);
    if (safeD(fieldD(sb))) {
      let t = s - x;
      if ((x - (s - t)) + (y - t) != 0) raise(NX);
      return sb;
    }
  }
  return addSoft(a, b, rm, true);
}

export function sub_d(a: u64, b: u64, rm: i32): u64 {
  return add_d(a, b ^ (<u64>1 << 63), rm);
}

export function mul_d(a: u64, b: u64, rm: i32): u64 {
  if (rm == RNE) {
    let ea = fieldD(a), eb = fieldD(b);
    let rb = reinterpret<u64>(reinterpret<f64>(a) * reinterpret<f64>(b));
    let er = fieldD(rb);
    if (normalD(ea) && normalD(eb) && safeD(er)) {
      // The product has 105 or 106 bits; the low 52 + k were dropped.
      let k = <i32>er - <i32>ea - <i32>eb + 1023; // 0..2
      if ((sigD(a) * sigD(b)) << <u64>(12 - k) != 0) raise(NX);
      return rb;
    }
  }
  return mulSoft(a, b, rm, true);
}

export function div_d(a: u64, b: u64, rm: i32): u64 {
  if (rm == RNE) {
    let ea = fieldD(a), eb = fieldD(b);
    let rb = reinterpret<u64>(reinterpret<f64>(a) / reinterpret<f64>(b));
    let er = fieldD(rb);
    if (normalD(ea) && normalD(eb) && safeD(er)) {
      // Exact iff R*mb == ma * 2^s (compared mod 2^64; |difference| < 2^53).
      let s = <i32>ea - <i32>eb - <i32>er + 1075; // 52 or 53
      if (sigD(rb) * sigD(b) != sigD(a) << <u64>s) raise(NX);
      return rb;
    }
  }
  return divSoft(a, b, rm, true);
}

export function sqrt_d(a: u64, rm: i32): u64 {
  if (rm == RNE) {
    let ea = fieldD(a);
    let rb = reinterpret<u64>(sqrt<f64>(reinterpret<f64>(a)));
    if ((a >> 63) == 0 && normalD(ea) && safeD(fieldD(rb))) {
      // Exact iff R^2 == ma * 2^s (mod 2^64; |difference| < 2^54).
      let s = <i32>ea - 2 * <i32>fieldD(rb) + 1075; // 51..54
      let rs = sigD(rb);
      if (rs * rs != sigD(a) << <u64>s) raise(NX);
      return rb;
    }
  }
  return sqrtSoft(a, rm, true);
}

export function fma_d(
  a: u64, b: u64, c: u64, rm: i32, negProduct: bool, negAddend: bool,
): u64 {
  return fmaSoft(a, b, c, rm, negProduct, negAddend, true);
}

export function min_d(a: u64, b: u64): u64 { return minMaxSoft(a, b, false, true); }
export function max_d(a: u64, b: u64): u64 { return minMaxSoft(a, b, true, true); }
export function eq_d(a: u64, b: u64): i32 { return eqSoft(a, b, true); }
export function lt_d(a: u64, b: u64): i32 { return ltSoft(a, b, true); }
export function le_d(a: u64, b: u64): i32 { return leSoft(a, b, true); }
export function class_d(a: u64): u32 { return classSoft(a, true); }
