// Public fcvt.* entry points. Fast paths: integer <-> float where the value
// is exactly representable, float -> integer via native trunc/nearest/floor/
// ceil when in range; everything else goes through convert.ts.

import { raise, NV, NX, RNE, RTZ, RDN, RUP } from "./flags";
import { CANON_D, isNaN, isSNaN } from "./format";
import { W, WU, L, LU, fromIntSoft, narrowSoft, toIntSoft } from "./convert";

// Native rounding of x to an integer-valued f64 for modes other than RMM.
// @ts-ignore: decorator
@inline function roundNative(x: f64, rm: i32): f64 {
  if (rm == RNE) return nearest<f64>(x);
  if (rm == RTZ) return trunc<f64>(x);
  if (rm == RDN) return floor<f64>(x);
  return ceil<f64>(x);
}

// |x| < 2^31 - 1: the rounded value is in range for every kind (except
// negative results for wu/lu, which take the soft path).
function toInt(x: f64, bits: u64, rm: i32, kind: i32, d: bool): i64 {
  if (rm <= RUP && abs<f64>(x) < 2147483647.0) {
    let t = roundNative(x, rm);
    if (t >= 0 || kind == W || kind == L) {
      if (t != x) raise(NX);
      let v = <i64>t;
      return kind == WU ? <i64><i32>v : v;
    }
  }
  return toIntSoft(bits, rm, kind, d);
}

// @ts-ignore: decorator
@inline function f32v(a: u32): f64 { return <f64>reinterpret<f32>(a); }

export function cvt_w_s(a: u32, rm: i32): i64 { return toInt(f32v(a), a, rm, W, false); }
export function cvt_wu_s(a: u32, rm: i32): i64 { return toInt(f32v(a), a, rm, WU, false); }
export function cvt_l_s(a: u32, rm: i32): i64 { return toInt(f32v(a), a, rm, L, false); }
export function cvt_lu_s(a: u32, rm: i32): i64 { return toInt(f32v(a), a, rm, LU, false); }
export function cvt_w_d(a: u64, rm: i32): i64 { return toInt(reinterpret<f64>(a), a, rm, W, true); }
export function cvt_wu_d(a: u64, rm: i32): i64 { return toInt(reinterpret<f64>(a), a, rm, WU, true); }
export function cvt_l_d(a: u64, rm: i32): i64 { return toInt(reinterpret<f64>(a), a, rm, L, true); }
export function cvt_lu_d(a: u64, rm: i32): i64 { return toInt(reinterpret<f64>(a), a, rm, LU, true); }

// Integers of magnitude < 2^24 (single) / 2^53 (double) convert exactly.
export function cvt_s_w(x: i64, rm: i32): u32 {
  let v = <i64><i32>x;
  if (v > -0x1000000 && v < 0x1000000) return reinterpret<u32>(<f32>v);
  return <u32>fromIntSoft(x, rm, W, false);
}
export function cvt_s_wu(x: i64, rm: i32): u32 {
  let v = x & 0xffffffff;
  if (v < 0x1000000) return reinterpret<u32>(<f32>v);
  return <u32>fromIntSoft(x, rm, WU, false);
}
export function cvt_s_l(x: i64, rm: i32): u32 {
  if (x > -0x1000000 && x < 0x1000000) return reinterpret<u32>(<f32>x);
  return <u32>fromIntSoft(x, rm, L, false);
}
export function cvt_s_lu(x: i64, rm: i32): u32 {
  if (<u64>x < 0x1000000) return reinterpret<u32>(<f32>x);
  return <u32>fromIntSoft(x, rm, LU, false);
}
export function cvt_d_w(x: i64, rm: i32): u64 {
  return reinterpret<u64>(<f64><i32>x); // always exact
}
export function cvt_d_wu(x: i64, rm: i32): u64 {
  return reinterpret<u64>(<f64>(<u64>x & 0xffffffff)); // always exact
}
export function cvt_d_l(x: i64, rm: i32): u64 {
  if (x > -0x20000000000000 && x < 0x20000000000000) return reinterpret<u64>(<f64>x);
  return fromIntSoft(x, rm, L, true);
}
export function cvt_d_lu(x: i64, rm: i32): u64 {
  if (<u64>x < 0x20000000000000) return reinterpret<u64>(<f64>x);
  return fromIntSoft(x, rm, LU, true);
}

export function cvt_s_d(a: u64, rm: i32): u32 {
  if (rm == RNE) {
    let x = reinterpret<f64>(a);
    let r = <f32>x;
    let rb = reinterpret<u32>(r);
    if (((rb >> 23) & 0xff) - 2 < 253) {
      if (<f64>r != x) raise(NX);
      return rb;
    }
  }
  return <u32>narrowSoft(a, rm);
}

export function cvt_d_s(a: u32): u64 {
  if (isNaN(a, false)) {
    if (isSNaN(a, false)) raise(NV);
    return CANON_D;
  }
  return reinterpret<u64>(<f64>reinterpret<f32>(a)); // exact
}
