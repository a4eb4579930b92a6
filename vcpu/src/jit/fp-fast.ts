/**
 * Inline fast paths for common double-precision instructions in translated
 * code. Each is guarded so that its result and its effect on fcsr/mstatus
 * are exactly the core's (assembly/fp.ts, fpu/double.ts):
 *   - mstatus.FS is already Dirty (so nothing needs to mark it);
 *   - the rounding mode is RNE (static, or dynamic with frm = RNE) and
 *     fflags.NX is already set: wasm's f64 ops round to nearest even, and a
 *     sticky NX makes exactness irrelevant;
 *   - operands and result avoid every case that raises NV, DZ, OF or UF:
 *     normal operands, a normal result outside the smallest binade (the same
 *     conditions as the core's own native fast path in fpu/double.ts).
 * Otherwise the instruction runs in the core (the `slow` emitter).
 */
import { Op, type CodeWriter } from './wasm-writer.js';
import type { Slot } from './ops.js';
import { H_F, H_FCSR, H_MSTATUS } from '../layout.js';

/** What the page function gives the fast paths: its writer and addresses,
 *  and its locals (x registers, the address and TLB-index scratch locals,
 *  two i64 scratch locals). */
export interface FpContext {
  w: CodeWriter; hb: number; tlbRead: number; tlbWrite: number;
  reg(r: number): number; va: number; e: number; t: number; u: number;
}

const F64_LOAD = 0x2b, F64_SQRT = 0x9f, F64_ADD = 0xa0, F64_SUB = 0xa1, F64_MUL = 0xa2, F64_DIV = 0xa3;
const F64_EQ = 0x61, F64_LT = 0x63, F64_LE = 0x65;
const I64_REINTERPRET_F64 = 0xbd, F64_REINTERPRET_I64 = 0xbf;
const F64_CONVERT_I32_S = 0xb7, F64_CONVERT_I32_U = 0xb8, F64_CONVERT_I64_S = 0xb9, F64_CONVERT_I64_U = 0xba;
const I32_NE = 0x47;
const FS_DIRTY = 0x6000;
const SIGN = -(2n ** 63n);

/** Emit the fast path with `slow` as its fallback; false if `s` has none. */
export function emitFpFast(c: FpContext, s: Slot, slow: () => void): boolean {
  const T = c.t, U = c.u, L = { va: c.va, e: c.e };
  const inst = s.imm >>> 0;
  const opc = inst & 0x7f, f3 = (inst >>> 12) & 7, f7 = inst >>> 25, rs2 = (inst >>> 20) & 31;
  const rd = s.rd, rs1 = s.rs1;
  const w = c.w;
  const f = (r: number): number => c.hb + H_F + r * 8;
  const fload = (r: number): void => { w.i32(0).mem(Op.i64Load, 3, f(r)); };
  const fsDirty = (): void => { w.i32(0).mem(Op.i32Load, 2, c.hb + H_MSTATUS).i32(FS_DIRTY).byte(Op.i32And).i32(FS_DIRTY).byte(Op.i32Eq); };
  /** RNE (static 0, or dynamic with frm 0) and NX already set. */
  const rneNx = (): void => {
    w.i32(0).mem(Op.i32Load, 2, c.hb + H_FCSR).i32(f3 === 7 ? 0xe1 : 0x01).byte(Op.i32And).i32(1).byte(Op.i32Eq, Op.i32And);
  };
  const expIn = (lo: number, n: number): void => { // (exponent field - lo) <u n, of the i64 on the stack
    w.i64(52).byte(Op.i64ShrU, Op.i32WrapI64).i32(0x7ff).byte(Op.i32And).i32(lo).byte(Op.i32Sub).i32(n).byte(Op.i32LtU);
  };
  const normal = (r: number): void => { fload(r); expIn(1, 2046); w.byte(Op.i32And); };
  const guarded = (cond: () => void, fast: () => void): boolean => {
    cond();
    w.open(Op.if, 'fpfast'); fast(); w.else_(); slow(); w.end();
    return true;
  };
  const getX = (r: number): void => { if (r === 0) w.i64(0); else w.get(c.reg(r)); };
  const setX = (r: number): void => { if (r === 0) w.byte(Op.drop); else w.set(c.reg(r)); };
  const storeF = (r: number, local: number): void => { w.i32(0).get(local).mem(Op.i64Store, 3, f(r)); };

  if (opc === 0x53 && (f7 === 0x01 || f7 === 0x05 || f7 === 0x09 || f7 === 0x0d || (f7 === 0x2d && rs2 === 0))) {
    if (f3 !== 0 && f3 !== 7) return false;
    const op = { 0x01: F64_ADD, 0x05: F64_SUB, 0x09: F64_MUL, 0x0d: F64_DIV, 0x2d: F64_SQRT }[f7]!;
    // T = the native result's bits
    w.i32(0).mem(F64_LOAD, 3, f(rs1));
    if (f7 !== 0x2d) w.i32(0).mem(F64_LOAD, 3, f(rs2));
    w.byte(op, I64_REINTERPRET_F64).set(T);
    return guarded(() => {
      fsDirty(); rneNx();
      w.get(T); expIn(2, 2045); w.byte(Op.i32And);
      if (f7 === 0x09 || f7 === 0x0d) { normal(rs1); normal(rs2); }
      if (f7 === 0x2d) { normal(rs1); fload(rs1); w.i64(0).byte(Op.i64GeS, Op.i32And); }
    }, () => storeF(rd, T));
  }
  if (opc === 0x53 && f7 === 0x69 && rs2 <= 3) { // fcvt.d.{w,wu,l,lu}
    if (f3 !== 0 && f3 !== 7) return false;
    return guarded(() => { fsDirty(); rneNx(); }, () => {
      getX(rs1);
      if (rs2 <= 1) w.byte(Op.i32WrapI64);
      w.byte([F64_CONVERT_I32_S, F64_CONVERT_I32_U, F64_CONVERT_I64_S, F64_CONVERT_I64_U][rs2]!, I64_REINTERPRET_F64).set(U);
      storeF(rd, U);
    });
  }
  if (opc === 0x53 && f7 === 0x11 && f3 <= 2) { // fsgnj.d / fsgnjn.d / fsgnjx.d (fmv.d, fneg.d, fabs.d)
    return guarded(fsDirty, () => {
      fload(rs1); w.i64(~SIGN).byte(Op.i64And);
      if (f3 === 2) { fload(rs1); fload(rs2); w.byte(Op.i64Xor); } else fload(rs2);
      if (f3 === 1) w.i64(-1n).byte(Op.i64Xor);
      w.i64(SIGN).byte(Op.i64And, Op.i64Or).set(U);
      storeF(rd, U);
    });
  }
  if (opc === 0x53 && f7 === 0x51 && f3 <= 2) { // fle.d / flt.d / feq.d: no NaN operand, so no NV
    return guarded(() => {
      fsDirty();
      for (const r of [rs1, rs2]) { fload(r); w.i64(52).byte(Op.i64ShrU, Op.i32WrapI64).i32(0x7ff).byte(Op.i32And).i32(0x7ff).byte(I32_NE, Op.i32And); }
    }, () => {
      w.i32(0).mem(F64_LOAD, 3, f(rs1)).i32(0).mem(F64_LOAD, 3, f(rs2)).byte([F64_LE, F64_LT, F64_EQ][f3]!, Op.i64ExtendI32U);
      setX(rd);
    });
  }
  if (opc === 0x53 && (f7 === 0x71 || f7 === 0x79) && f3 === 0 && rs2 === 0) { // fmv.x.d / fmv.d.x
    return guarded(fsDirty, () => {
      if (f7 === 0x71) { fload(rs1); setX(rd); } else { getX(rs1); w.set(U); storeF(rd, U); }
    });
  }
  if ((opc === 0x07 || opc === 0x27) && f3 === 3) { // fld / fsd through the inline TLB check
    const store = opc === 0x27;
    const imm = store ? ((inst >> 25) << 5) | ((inst >>> 7) & 31) : inst >> 20;
    const array = store ? c.tlbWrite : c.tlbRead;
    getX(rs1); w.i64(imm).byte(Op.i64Add).set(L.va);
    w.get(L.va).i64(12).byte(Op.i64ShrU, Op.i32WrapI64).i32(255).byte(Op.i32And).i32(4).byte(Op.i32Shl).set(L.e);
    return guarded(() => {
      fsDirty();
      w.get(L.e).mem(Op.i64Load, 3, array).get(L.va).i64(-4096).byte(Op.i64And, Op.i64Eq, Op.i32And);
      w.get(L.va).byte(Op.i32WrapI64).i32(0xfff).byte(Op.i32And).i32(4096 - 8).byte(Op.i32LeU, Op.i32And);
    }, () => {
      w.get(L.e).mem(Op.i64Load, 3, array + 8).get(L.va).byte(Op.i64Add, Op.i32WrapI64);
      if (store) { fload(rs2); w.mem(Op.i64Store, 0, 0); } else { w.mem(Op.i64Load, 0, 0).set(U); storeF(rd, U); }
    });
  }
  return false;
}
