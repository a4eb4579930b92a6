// Division and square root for both formats. The native f64 op on the
// significands (scaled into [1,4), so it never over/underflows) gives the
// 53-bit round-to-nearest value R; exact 128-bit integer arithmetic then says
// whether the true result is above, below or equal to R. R plus a sticky bit
// on the right side re-rounds correctly in every mode and format: no
// rounding boundary of a <= 53-bit format lies strictly between R and the
// true value, and neither quotients nor square roots can be exact ties.

import { raise, DZ, NV } from "./flags";
import {
  bias, canonNaN, infOf, isInf, isNaN, isZero, nanResult, signOf, unpackSig,
  unpackedExp, zeroOf,
} from "./format";
import { roundPack } from "./round";
import { cmp128, mul128, shiftLeft128, wideHi } from "./wide";

const FRAC52: u64 = 0x000fffffffffffff;

// f64 with significand m (53 bits, leading bit 52) and unbiased exponent e.
// @ts-ignore: decorator
@inline function scaled(m: u64, e: i32): f64 {
  return reinterpret<f64>((<u64>(1023 + e) << 52) | (m & FRAC52));
}

// R << 10 nudged by one sticky unit toward the true value: c = sign(R - x).
// @ts-ignore: decorator
@inline function nudge(r: u64, c: i32): u64 {
  let s = r << 10;
  return c > 0 ? s - 1 : c < 0 ? s | 1 : s;
}

export function divSoft(a: u64, b: u64, rm: i32, d: bool): u64 {
  if (isNaN(a, d) || isNaN(b, d)) return nanResult(a, b, d);
  let sign = signOf(a, d) != signOf(b, d);
  if (isInf(a, d)) {
    if (isInf(b, d)) { raise(NV); return canonNaN(d); }
    return infOf(sign, d);
  }
  if (isInf(b, d)) return zeroOf(sign, d);
  if (isZero(b, d)) {
    if (isZero(a, d)) { raise(NV); return canonNaN(d); }
    raise(DZ);
    return infOf(sign, d);
  }
  if (isZero(a, d)) return zeroOf(sign, d);
  let ma = unpackSig(a, d) >> 10; let ea = unpackedExp;
  let mb = unpackSig(b, d) >> 10; let eb = unpackedExp;
  let qb = reinterpret<u64>(scaled(ma, 0) / scaled(mb, 0));
  let qe = <i32>(qb >> 52) - 1023; // -1 or 0
  let r = (qb & FRAC52) | (<u64>1 << 52);
  // R * 2^(qe-52) vs ma/mb  <=>  R*mb vs ma << (52 - qe)
  let plo = mul128(r, mb); let phi = wideHi;
  let slo = shiftLeft128(0, ma, 52 - qe); let shi = wideHi;
  let c = cmp128(phi, plo, shi, slo);
  return roundPack(sign, ea - eb + bias(d) + qe, nudge(r, c), rm, d);
}

export function sqrtSoft(a: u64, rm: i32, d: bool): u64 {
  if (isNaN(a, d)) return nanResult(a, a, d);
  if (isZero(a, d)) return a;
  if (signOf(a, d)) { raise(NV); return canonNaN(d); }
  if (isInf(a, d)) return a;
  let ma = unpackSig(a, d) >> 10;
  let e = unpackedExp - bias(d);
  let t = e & 1; // odd exponent: use the significand in [2,4)
  let qb = reinterpret<u64>(sqrt<f64>(scaled(ma, t)));
  let qe = <i32>(qb >> 52) - 1023; // 0, or 1 if rounded up to 2.0
  let r = (qb & FRAC52) | (<u64>1 << 52);
  // (R * 2^(qe-52))^2 vs ma * 2^(t-52)  <=>  R^2 vs ma << (52 + t - 2qe)
  let plo = mul128(r, r); let phi = wideHi;
  let slo = shiftLeft128(0, ma, 52 + t - 2 * qe); let shi = wideHi;
  let c = cmp128(phi, plo, shi, slo);
  return roundPack(false, bias(d) + qe + ((e - t) >> 1), nudge(r, c), rm, d);
}
