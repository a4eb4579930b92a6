// F and D instructions: loads/stores, moves, NaN-boxing, rm decoding, fflags
// accrual and mstatus.FS. The arithmetic itself is the FPU module's.
import { H_F, H_FCSR, H_MSTATUS, LD_F32, LD_F64 } from "./layout";
import { hb, rd64, raiseIllegal, fault, F_NONE, MS_FS } from "./state";
import { loadData, storeData } from "./mmu";
import { markFsDirty } from "./csr";
import * as fpu from "./fpu/index";

const BOX: u64 = 0xFFFF_FFFF_0000_0000;
const CANON_S: u32 = 0x7FC0_0000;

@inline function fget(r: u32): u64 { return load<u64>(hb + H_F + (r << 3)); }
@inline function sget(r: u32): u32 {
  const v = fget(r);
  return (v & BOX) == BOX ? <u32>v : CANON_S; // not NaN-boxed: canonical NaN
}
@inline function fset(r: u32, v: u64): void { store<u64>(hb + H_F + (r << 3), v); }
@inline function sset(r: u32, v: u32): void { fset(r, BOX | <u64>v); }
@inline function xget(r: u32): u64 { return load<u64>(hb + (r << 3)); }
@inline function xset(r: u32, v: u64): void { if (r != 0) store<u64>(hb + (r << 3), v); }

/** Resolve the rm field (7 = dynamic, from frm); -1 when reserved. */
function resolveRm(f3: u32): i32 {
  const rm = f3 == 7 ? (load<u32>(hb + H_FCSR) >> 5) & 7 : f3;
  return rm > 4 ? -1 : <i32>rm;
}

function accrue(): void {
  const f = fpu.fpFlags;
  if (f != 0) {
    store<u32>(hb + H_FCSR, load<u32>(hb + H_FCSR) | f);
    fpu.fpFlags = 0;
    markFsDirty();
  }
}

export function execFp(inst: u32, ilen: u32): void {
  if ((rd64(H_MSTATUS) & MS_FS) == 0) { raiseIllegal(); return; }
  const op = inst & 0x7f;
  const rd = (inst >> 7) & 31;
  const f3 = (inst >> 12) & 7;
  const rs1 = (inst >> 15) & 31;
  const rs2 = (inst >> 20) & 31;
  if (op == 0x07 || op == 0x27) { // FLW/FLD/FSW/FSD
    if (f3 != 2 && f3 != 3) { raiseIllegal(); return; }
    const dbl = f3 == 3;
    const size: u32 = dbl ? 8 : 4;
    if (op == 0x07) {
      const va = xget(rs1) + <u64>((<i32>inst) >> 20);
      const v = loadData(va, size, rd, dbl ? LD_F64 : LD_F32);
      if (fault != F_NONE) return;
      if (dbl) fset(rd, v); else sset(rd, <u32>v);
      markFsDirty();
    } else {
      const va = xget(rs1) + <u64>((<i32>(inst & 0xFE00_0000) >> 20) | ((inst >> 7) & 31));
      storeData(va, size, fget(rs2));
    }
    return;
  }
  const fmt = (inst >> 25) & 3;
  if (op != 0x53) { // fused multiply-add family
    if (fmt > 1) { raiseIllegal(); return; }
    const rm = resolveRm(f3);
    if (rm < 0) { raiseIllegal(); return; }
    const rs3 = inst >> 27;
    const negP = op == 0x4B || op == 0x4F; // fnmsub, fnmadd
    const negA = op == 0x47 || op == 0x4F; // fmsub, fnmadd
    if (fmt == 0) sset(rd, fpu.fma_s(sget(rs1), sget(rs2), sget(rs3), rm, negP, negA));
    else fset(rd, fpu.fma_d(fget(rs1), fget(rs2), fget(rs3), rm, negP, negA));
    accrue(); markFsDirty();
    return;
  }
  opFp(inst, rd, f3, rs1, rs2);
}

function opFp(inst: u32, rd: u32, f3: u32, rs1: u32, rs2: u32): void {
  const f7 = inst >> 25;
  const dbl = (f7 & 1) != 0;
  if ((f7 & 2) != 0) { raiseIllegal(); return; } // fmt H/Q
  const group = f7 >> 2;
  let writesF = true;
  // groups that take a rounding mode
  let rm: i32 = 0;
  if (group <= 3 || group == 0x0B || group == 0x08 || group == 0x18 || group == 0x1A) {
    rm = resolveRm(f3);
    if (rm < 0) { raiseIllegal(); return; }
  }
  switch (group) {
    case 0x00: case 0x01: case 0x02: case 0x03: { // add sub mul div
      if (dbl) {
        const a = fget(rs1), b = fget(rs2);
        fset(rd, group == 0 ? fpu.add_d(a, b, rm) : group == 1 ? fpu.sub_d(a, b, rm) : group == 2 ? fpu.mul_d(a, b, rm) : fpu.div_d(a, b, rm));
      } else {
        const a = sget(rs1), b = sget(rs2);
        sset(rd, group == 0 ? fpu.add_s(a, b, rm) : group == 1 ? fpu.sub_s(a, b, rm) : group == 2 ? fpu.mul_s(a, b, rm) : fpu.div_s(a, b, rm));
      }
      break;
    }
    case 0x0B: // sqrt
      if (rs2 != 0) { raiseIllegal(); return; }
      if (dbl) fset(rd, fpu.sqrt_d(fget(rs1), rm)); else sset(rd, fpu.sqrt_s(sget(rs1), rm));
      break;
    case 0x04: { // sign injection
      if (f3 > 2) { raiseIllegal(); return; }
      if (dbl) {
        const a = fget(rs1), b = fget(rs2);
        const S: u64 = <u64>1 << 63;
        const sign = f3 == 0 ? b & S : f3 == 1 ? ~b & S : (a ^ b) & S;
        fset(rd, (a & ~S) | sign);
      } else {
        const a = sget(rs1), b = sget(rs2);
        const S: u32 = 0x8000_0000;
        const sign = f3 == 0 ? b & S : f3 == 1 ? ~b & S : (a ^ b) & S;
        sset(rd, (a & ~S) | sign);
      }
      break;
    }
    case 0x05: // min/max
      if (f3 > 1) { raiseIllegal(); return; }
      if (dbl) fset(rd, f3 == 0 ? fpu.min_d(fget(rs1), fget(rs2)) : fpu.max_d(fget(rs1), fget(rs2)));
      else sset(rd, f3 == 0 ? fpu.min_s(sget(rs1), sget(rs2)) : fpu.max_s(sget(rs1), sget(rs2)));
      break;
    case 0x08: // fcvt.s.d (f7 0x20, rs2 1) / fcvt.d.s (f7 0x21, rs2 0)
      if (!dbl && rs2 == 1) sset(rd, fpu.cvt_s_d(fget(rs1), rm));
      else if (dbl && rs2 == 0) fset(rd, fpu.cvt_d_s(sget(rs1)));
      else { raiseIllegal(); return; }
      break;
    case 0x14: { // compare
      writesF = false;
      let r: i32;
      if (f3 > 2) { raiseIllegal(); return; }
      if (dbl) { const a = fget(rs1), b = fget(rs2); r = f3 == 0 ? fpu.le_d(a, b) : f3 == 1 ? fpu.lt_d(a, b) : fpu.eq_d(a, b); }
      else { const a = sget(rs1), b = sget(rs2); r = f3 == 0 ? fpu.le_s(a, b) : f3 == 1 ? fpu.lt_s(a, b) : fpu.eq_s(a, b); }
      xset(rd, <u64>r);
      break;
    }
    case 0x18: { // fcvt.{w,wu,l,lu}.{s,d}
      writesF = false;
      if (rs2 > 3) { raiseIllegal(); return; }
      let r: i64;
      if (dbl) {
        const a = fget(rs1);
        r = rs2 == 0 ? fpu.cvt_w_d(a, rm) : rs2 == 1 ? fpu.cvt_wu_d(a, rm) : rs2 == 2 ? fpu.cvt_l_d(a, rm) : fpu.cvt_lu_d(a, rm);
      } else {
        const a = sget(rs1);
        r = rs2 == 0 ? fpu.cvt_w_s(a, rm) : rs2 == 1 ? fpu.cvt_wu_s(a, rm) : rs2 == 2 ? fpu.cvt_l_s(a, rm) : fpu.cvt_lu_s(a, rm);
      }
      xset(rd, <u64>r);
      break;
    }
    case 0x1A: { // fcvt.{s,d}.{w,wu,l,lu}
      if (rs2 > 3) { raiseIllegal(); return; }
      const x = <i64>xget(rs1);
      const xa: i64 = rs2 == 0 ? <i64><i32>x : rs2 == 1 ? x & 0xFFFF_FFFF : x;
      if (dbl) fset(rd, rs2 == 0 ? fpu.cvt_d_w(xa, rm) : rs2 == 1 ? fpu.cvt_d_wu(xa, rm) : rs2 == 2 ? fpu.cvt_d_l(xa, rm) : fpu.cvt_d_lu(xa, rm));
      else sset(rd, rs2 == 0 ? fpu.cvt_s_w(xa, rm) : rs2 == 1 ? fpu.cvt_s_wu(xa, rm) : rs2 == 2 ? fpu.cvt_s_l(xa, rm) : fpu.cvt_s_lu(xa, rm));
      break;
    }
    case 0x1C: // fmv.x.{w,d} / fclass
      writesF = false;
      if (rs2 != 0) { raiseIllegal(); return; }
      if (f3 == 0) xset(rd, dbl ? fget(rs1) : <u64><i64><i32>fget(rs1));
      else if (f3 == 1) xset(rd, <u64>(dbl ? fpu.class_d(fget(rs1)) : fpu.class_s(sget(rs1))));
      else { raiseIllegal(); return; }
      break;
    case 0x1E: // fmv.{w,d}.x
      if (rs2 != 0 || f3 != 0) { raiseIllegal(); return; }
      if (dbl) fset(rd, xget(rs1)); else sset(rd, <u32>xget(rs1));
      break;
    default:
      raiseIllegal();
      return;
  }
  accrue();
  if (writesF) markFsDirty();
}
