// roundPack: the single place where an exact-or-sticky intermediate becomes
// an IEEE result. Handles all five rounding modes, overflow to inf or
// max-finite, subnormals with tininess detected after rounding (RISC-V),
// and the OF/UF/NX flags.

import { raise, NX, OF, UF, RNE, RTZ, RDN, RUP, RMM } from "./flags";
import { fracBits, expMax, signBit, shiftRightJam } from "./format";

// value = sig * 2^(exp - bias - 62); sig != 0 (any bit position; bit 0 may be
// a sticky bit standing for "something nonzero below").
export function roundPack(sign: bool, exp: i32, sig: u64, rm: i32, d: bool): u64 {
  let lz = <i32>clz(sig);
  if (lz == 0) {
    sig = shiftRightJam(sig, 1);
    exp += 1;
  } else if (lz > 1) {
    sig <<= <u64>(lz - 1);
    exp -= lz - 1;
  }
  let fb = fracBits(d);
  let shift = 62 - fb;
  let mask: u64 = (<u64>1 << shift) - 1;
  let half: u64 = <u64>1 << (shift - 1);
  let inc: u64 = half;
  if (rm == RTZ) inc = 0;
  else if (rm == RDN) inc = sign ? mask : 0;
  else if (rm == RUP) inc = sign ? 0 : mask;

  if (exp <= 0) {
    // Tiny if the result rounded with an unbounded exponent is below the
    // smallest normal: at exp == 0 only a carry out of the top escapes.
    let tiny = exp < 0 || sig + inc < (<u64>1 << 63);
    sig = shiftRightJam(sig, 1 - exp);
    exp = 1;
    if (tiny && (sig & mask) != 0) raise(UF);
  }
  let rbits = sig & mask;
  if (rbits != 0) raise(NX);
  let r = (sig + inc) >> shift;
  if (rm == RNE && rbits == half) r &= ~(<u64>1);
  // r carries the implicit bit, so adding it to (exp-1) bumps the exponent
  // on a carry out of the fraction.
  if (exp - 1 + <i32>(r >> fb) >= expMax(d)) {
    raise(OF | NX);
    let toInf = rm == RNE || rm == RMM || (rm == RUP && !sign) || (rm == RDN && sign);
    let mag: u64 = toInf
      ? <u64>expMax(d) << fb
      : (<u64>expMax(d) << fb) - 1;
    return (sign ? signBit(d) : 0) | mag;
  }
  return (sign ? signBit(d) : 0) | ((<u64>(exp - 1) << fb) + r);
}
