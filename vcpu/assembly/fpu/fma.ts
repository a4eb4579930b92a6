// Fused multiply-add with one rounding, both formats:
//   result = (negProduct ? -(a*b) : a*b) + (negAddend ? -c : c)
// fmadd: neither; fmsub: negAddend; fnmsub: negProduct; fnmadd: both.
// The exact product (128 bits) and the addend are aligned in a 128-bit
// window with a sticky bit, added, normalized, and rounded once.

import { raise, NV } from "./flags";
import {
  bias, canonNaN, infOf, isInf, isNaN, isSNaN, isZero, signBit, signOf,
  unpackSig, unpackedExp, zeroOf,
} from "./format";
import { zeroSumSign } from "./arith";
import { roundPack } from "./round";
import { cmp128, mul128, shiftLeft128, shiftRightJam128, wideHi } from "./wide";

export function fmaSoft(
  a: u64, b: u64, c: u64, rm: i32, negProduct: bool, negAddend: bool, d: bool,
): u64 {
  let infTimesZero = (isInf(a, d) && isZero(b, d)) || (isZero(a, d) && isInf(b, d));
  if (isNaN(a, d) || isNaN(b, d) || isNaN(c, d)) {
    // RISC-V: inf*0 is invalid even when the addend is a quiet NaN.
    if (isSNaN(a, d) || isSNaN(b, d) || isSNaN(c, d) || infTimesZero) raise(NV);
    return canonNaN(d);
  }
  if (infTimesZero) { raise(NV); return canonNaN(d); }
  let sp = (signOf(a, d) != signOf(b, d)) != negProduct;
  let sc = signOf(c, d) != negAddend;
  if (isInf(a, d) || isInf(b, d)) {
    if (isInf(c, d) && sc != sp) { raise(NV); return canonNaN(d); }
    return infOf(sp, d);
  }
  if (isInf(c, d)) return infOf(sc, d);
  let cAdj = negAddend ? c ^ signBit(d) : c;
  if (isZero(a, d) || isZero(b, d)) {
    if (isZero(c, d)) return sp == sc ? zeroOf(sp, d) : zeroOf(zeroSumSign(rm), d);
    return cAdj;
  }
  let ma = unpackSig(a, d); let ea = unpackedExp;
  let mb = unpackSig(b, d); let eb = unpackedExp;
  // Product X = 2*ma*mb, value X * 2^(ep - bias - 126); leading bit 125 or 126.
  let xlo = mul128(ma << 1, mb); let xhi = wideHi;
  let ep = ea + eb - bias(d) + 1;
  if ((xhi >> 62) == 0) {
    xlo = shiftLeft128(xhi, xlo, 1); xhi = wideHi;
    ep -= 1;
  }
  if (isZero(c, d)) return roundPack(sp, ep, xhi | (xlo != 0 ? 1 : 0), rm, d);
  let mc = unpackSig(c, d); let ec = unpackedExp;
  let chi = mc, clo: u64 = 0;
  // Align the smaller exponent to the larger one.
  let ez = ep;
  if (ep > ec) {
    clo = shiftRightJam128(chi, clo, ep - ec); chi = wideHi;
  } else if (ec > ep) {
    xlo = shiftRightJam128(xhi, xlo, ec - ep); xhi = wideHi;
    ez = ec;
  }
  let sign = sp;
  let hi: u64, lo: u64;
  if (sp == sc) {
    lo = xlo + clo;
    hi = xhi + chi + (lo < xlo ? 1 : 0);
  } else {
    let k = cmp128(xhi, xlo, chi, clo);
    if (k == 0) return zeroOf(zeroSumSign(rm), d);
    if (k < 0) {
      let th = xhi; xhi = chi; chi = th;
      let tl = xlo; xlo = clo; clo = tl;
      sign = sc;
    }
    lo = xlo - clo;
    hi = xhi - chi - (xlo < clo ? 1 : 0);
    // Cancellation: bring the leading bit back to 126.
    let lz = hi != 0 ? <i32>clz(hi) : 64 + <i32>clz(lo);
    if (lz > 1) {
      lo = shiftLeft128(hi, lo, lz - 1); hi = wideHi;
      ez -= lz - 1;
    }
  }
  return roundPack(sign, ez, hi | (lo != 0 ? 1 : 0), rm, d);
}
