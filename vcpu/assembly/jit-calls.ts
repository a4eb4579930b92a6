// The calls translated code makes into the core (exported by index.ts):
// loads and stores that missed the inline TLB check, F/D instructions, AMOs
// and LR/SC, the high half of a product. Kept apart from jit.ts's
// bookkeeping, which the decode cache (and so the MMU) calls: this side
// calls the MMU, FP and AMO code, so in one file they would import each
// other in a loop.
import { H_JIT_FAULT, H_PC, LD_SIGNED, LD_UNSIGNED } from "./layout";
import { hb, fault, setRaw, F_NONE } from "./state";
import { loadSlow, storeSlow } from "./mmu";
import { execFp } from "./fp";
import { execAmo } from "./amo";
import { jitClearDropped, jitDropped } from "./jit";

/** Load that missed the inline TLB check; H_JIT_FAULT = 1 if it trapped or exits. */
export function jitLoad(va: u64, f3: u32, rd: u32): u64 {
  const v = loadSlow(va, 1 << (f3 & 3), rd, f3 >= 4 ? LD_UNSIGNED : LD_SIGNED);
  store<i32>(hb + H_JIT_FAULT, fault != F_NONE ? 1 : 0);
  switch (f3) {
    case 0: return <u64><i64><i8>v;
    case 1: return <u64><i64><i16>v;
    case 2: return <u64><i64><i32>v;
    default: return v;
  }
}

/** Store that missed: 0 done, 1 trap or exit (not done, or an MMIO write),
 *  2 done but it dropped a translation (the caller must return). */
export function jitStore(va: u64, size: u32, v: u64): i32 {
  jitClearDropped();
  storeSlow(va, size, v);
  if (fault != F_NONE) return 1;
  return jitDropped ? 2 : 0;
}

/** An F/D instruction (`inst`, expanded; `raw`: its bits for mtval) at `pc`.
 *  The translated code keeps x registers in locals: it stores the ones the
 *  instruction may read or write before the call and reloads rd after.
 *  0 done, 1 trap or exit (not done, or an MMIO access), 2 done but it
 *  dropped a translation (the caller must return). */
export function jitFp(inst: u32, raw: u32, pc: u64, ilen: u32): i32 {
  jitClearDropped();
  store<u64>(hb + H_PC, pc);
  setRaw(raw);
  execFp(inst, ilen);
  if (fault != F_NONE) return 1;
  return jitDropped ? 2 : 0;
}

/** An AMO, LR or SC (`inst`) at `pc`, for translated code, which stores the
 *  x registers it reads or writes before the call and reloads rd after.
 *  0 done, 1 trap or exit (not done), 2 done but it dropped a translation. */
export function jitAmo(inst: u32, pc: u64): i32 {
  jitClearDropped();
  store<u64>(hb + H_PC, pc);
  setRaw(inst);
  execAmo(inst);
  if (fault != F_NONE) return 1;
  return jitDropped ? 2 : 0;
}

// @ts-ignore: decorator
@inline export function mulhu(a: u64, b: u64): u64 {
  const aL = a & 0xFFFF_FFFF, aH = a >> 32, bL = b & 0xFFFF_FFFF, bH = b >> 32;
  const p0 = aL * bL, p1 = aL * bH, p2 = aH * bL, p3 = aH * bH;
  const mid = (p0 >> 32) + (p1 & 0xFFFF_FFFF) + (p2 & 0xFFFF_FFFF);
  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

/** High 64 bits of a product: f3 1 mulh, 2 mulhsu, 3 mulhu. */
export function jitMulh(a: u64, b: u64, f3: u32): u64 {
  const hi = mulhu(a, b);
  if (f3 == 3) return hi;
  if (f3 == 2) return hi - (<i64>a < 0 ? b : 0);
  return hi - (<i64>a < 0 ? b : 0) - (<i64>b < 0 ? a : 0);
}
