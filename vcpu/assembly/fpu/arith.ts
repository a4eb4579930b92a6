// Integer soft-float add and multiply for both formats (d = double). These
// are the exact paths; single.ts/double.ts put native fast paths in front.

import { raise, NV, RDN } from "./flags";
import {
  bias, canonNaN, infOf, isInf, isNaN, isZero, nanResult, shiftRightJam,
  signOf, unpackSig, unpackedExp, zeroOf,
} from "./format";
import { roundPack } from "./round";
import { mul128, wideHi } from "./wide";

// Sign of an exact zero sum of operands with different signs.
// @ts-ignore: decorator
@inline export function zeroSumSign(rm: i32): bool { return rm == RDN; }

export function addSoft(a: u64, b: u64, rm: i32, d: bool): u64 {
  if (isNaN(a, d) || isNaN(b, d)) return nanResult(a, b, d);
  let sa = signOf(a, d), sb = signOf(b, d);
  if (isInf(a, d)) {
    if (isInf(b, d) && sa != sb) { raise(NV); return canonNaN(d); }
    return a;
  }
  if (isInf(b, d)) return b;
  if (isZero(a, d)) {
    if (isZero(b, d)) return sa == sb ? a : zeroOf(zeroSumSign(rm), d);
    return b;
  }
  if (isZero(b, d)) return a;
  let ma = unpackSig(a, d); let ea = unpackedExp;
  let mb = unpackSig(b, d); let eb = unpackedExp;
  // Order by magnitude so the larger operand sets sign and exponent.
  if (ea < eb || (ea == eb && ma < mb)) {
    let t = ma; ma = mb; mb = t;
    let te = ea; ea = eb; eb = te;
    let ts = sa; sa = sb; sb = ts;
  }
  mb = shiftRightJam(mb, ea - eb);
  if (sa == sb) return roundPack(sa, ea, ma + mb, rm, d);
  if (ma == mb) return zeroOf(zeroSumSign(rm), d);
  return roundPack(sa, ea, ma - mb, rm, d);
}

export function mulSoft(a: u64, b: u64, rm: i32, d: bool): u64 {
  if (isNaN(a, d) || isNaN(b, d)) return nanResult(a, b, d);
  let sign = signOf(a, d) != signOf(b, d);
  if (isInf(a, d) || isInf(b, d)) {
    if (isZero(a, d) || isZero(b, d)) { raise(NV); return canonNaN(d); }
    return infOf(sign, d);
  }
  if (isZero(a, d) || isZero(b, d)) return zeroOf(sign, d);
  let ma = unpackSig(a, d); let ea = unpackedExp;
  let mb = unpackSig(b, d); let eb = unpackedExp;
  // (2ma)(mb) lies in [2^125, 2^127): its high half keeps >= 62 bits.
  let lo = mul128(ma << 1, mb);
  let sig = wideHi | (lo != 0 ? 1 : 0);
  return roundPack(sign, ea + eb - bias(d) + 1, sig, rm, d);
}
