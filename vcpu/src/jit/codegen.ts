/** Per-instruction code for the page translator: RV64I/M integer ops on
 *  register locals, loads/stores with an inline TLB check and a slow-path
 *  call. Control flow and exits go through the FlowContext. */
import { CodeWriter, Op, I64 } from './wasm-writer.js';
import * as K from './ops.js';
import type { Slot } from './ops.js';
import { emitFpFast } from './fp-fast.js';

/** Local indices of the translated function. */
export const L = { off: 0, fbase: 1, ic: 2, stop: 3, ret: 35, va: 36, t: 37, u: 38, e: 39, idx: 40, st: 41 } as const;
export const regLocal = (r: number): number => 3 + r;
/** Imported function indices. */
export const F = { load: 0, store: 1, mulh: 2, fp: 3, slice: 4, amo: 5 } as const;

export interface FlowContext {
  w: CodeWriter;
  hb: number; tlbRead: number; tlbWrite: number; jitFault: number;
  /** Continue at in-page byte offset `target` (or leave the page: any rel). */
  goto(target: number): void;
  /** Return to the interpreter at rel `target`, `icBack` instructions not retired. */
  exitAt(target: number, icBack: number): void;
  /** Return with the rel on the stack (jalr). */
  exitDynamic(): void;
}

function getR(w: CodeWriter, r: number): void { if (r === 0) w.i64(0); else w.get(regLocal(r)); }
function setR(w: CodeWriter, r: number): void { if (r === 0) w.byte(Op.drop); else w.set(regLocal(r)); }

const LOAD_OPS = [0x30, 0x32, 0x34, 0x29, 0x31, 0x33, 0x35]; // i64.load8_s 16_s 32_s load 8_u 16_u 32_u
const STORE_OPS = [0x3c, 0x3d, 0x3e, 0x37]; // i64.store8 16 32 64

/** va = rs1 + imm; e = TLB index * 16; leaves the hit condition (i32) on the stack. */
function tlbCheck(c: FlowContext, s: Slot, array: number, size: number): void {
  const w = c.w;
  getR(w, s.rs1); w.i64(s.imm).byte(Op.i64Add).set(L.va);
  w.get(L.va).i64(12).byte(Op.i64ShrU, Op.i32WrapI64).i32(255).byte(Op.i32And).i32(4).byte(Op.i32Shl).set(L.e);
  w.get(L.e).mem(Op.i64Load, 3, array).get(L.va).i64(-4096).byte(Op.i64And, Op.i64Eq);
  w.get(L.va).byte(Op.i32WrapI64).i32(0xfff).byte(Op.i32And).i32(4096 - size).byte(Op.i32LeU, Op.i32And);
}

/** Emit slot `s`; `left` = instructions of its block from it to the block end (for exact instret on exits). */
export function emitInsn(c: FlowContext, s: Slot, left: number): void {
  const w = c.w;
  const op = s.op;
  const rd = s.rd;
  const a = (): void => getR(w, s.rs1);
  const b = (): void => getR(w, s.rs2);
  const imm = (): void => { w.i64(s.imm); };
  const bin = (opc: number, rhs: () => void): void => { a(); rhs(); w.byte(opc); setR(w, rd); };
  const w32 = (opc: number): void => { a(); w.byte(Op.i32WrapI64); b(); w.byte(Op.i32WrapI64, opc, Op.i64ExtendI32S); setR(w, rd); };
  const pcRel = (delta: number): void => { w.get(L.fbase).i64(s.off + delta).byte(Op.i64Add); };
  if (op >= K.OP_LB && op <= K.OP_LB + 6) {
    const f3 = op - K.OP_LB;
    const size = 1 << (f3 & 3);
    tlbCheck(c, s, c.tlbRead, size);
    w.open(Op.if, 'ld', I64);
    w.get(L.e).mem(Op.i64Load, 3, c.tlbRead + 8).get(L.va).byte(Op.i64Add, Op.i32WrapI64).mem(LOAD_OPS[f3], 0, 0);
    w.else_();
    w.get(L.va).i32(f3).i32(rd).byte(Op.call).u32(F.load);
    w.i32(0).mem(Op.i32Load, 2, c.jitFault).open(Op.if, 'f'); c.exitAt(s.off, left); w.end();
    w.end();
    setR(w, rd);
    return;
  }
  if (op >= K.OP_SB && op <= K.OP_SB + 3) {
    const f3 = op - K.OP_SB;
    const size = 1 << f3;
    tlbCheck(c, s, c.tlbWrite, size);
    w.open(Op.if, 'st');
    w.get(L.e).mem(Op.i64Load, 3, c.tlbWrite + 8).get(L.va).byte(Op.i64Add, Op.i32WrapI64);
    b(); w.mem(STORE_OPS[f3], 0, 0);
    w.else_();
    w.get(L.va).i32(size); b(); w.byte(Op.call).u32(F.store).byte(Op.localTee).u32(L.st);
    w.open(Op.if, 's1');
    w.get(L.st).i32(1).byte(Op.i32Eq).open(Op.if, 's2'); c.exitAt(s.off, left); w.end();
    c.exitAt(s.off + s.len, left - 1); // done, but it changed translated code
    w.end();
    w.end();
    return;
  }
  if (op === K.OP_FP) {
    // the core's F/D code on the hart state: x registers go through memory around the call
    const slow = (): void => {
      for (const r of new Set([s.rs1, rd])) if (r !== 0) w.i32(0).get(regLocal(r)).mem(Op.i64Store, 3, c.hb + r * 8);
      w.i32(s.imm).i32(s.raw | 0); pcRel(0); w.i32(s.len).byte(Op.call).u32(F.fp).set(L.st);
      if (rd !== 0) w.i32(0).mem(Op.i64Load, 3, c.hb + rd * 8).set(regLocal(rd));
      w.get(L.st).open(Op.if, 'fp');
      w.get(L.st).i32(1).byte(Op.i32Eq).open(Op.if, 'f1'); c.exitAt(s.off, left); w.end();
      c.exitAt(s.off + s.len, left - 1); // done, but it changed translated code
      w.end();
    };
    if (!emitFpFast({ ...c, reg: regLocal, va: L.va, e: L.e, t: L.t, u: L.u }, s, slow)) slow();
    return;
  }
  if (op === K.OP_AMO) {
    // AMO, LR, SC: the core's code on the hart state (registers go through memory around the call);
    // rd is stored too, so reloading it after a trap gives back its value
    for (const r of new Set([s.rs1, s.rs2, rd])) if (r !== 0) w.i32(0).get(regLocal(r)).mem(Op.i64Store, 3, c.hb + r * 8);
    w.i32(s.imm); pcRel(0); w.byte(Op.call).u32(F.amo).set(L.st);
    if (rd !== 0) w.i32(0).mem(Op.i64Load, 3, c.hb + rd * 8).set(regLocal(rd));
    w.get(L.st).open(Op.if, 'amo');
    w.get(L.st).i32(1).byte(Op.i32Eq).open(Op.if, 'a1'); c.exitAt(s.off, left); w.end();
    c.exitAt(s.off + s.len, left - 1); // done, but it changed translated code
    w.end();
    return;
  }
  if (K.isBranch(op)) {
    const cmp = [Op.i64Eq, Op.i64Ne, 0, 0, Op.i64LtS, Op.i64GeS, Op.i64LtU, Op.i64GeU][op - K.OP_BEQ];
    a(); b(); w.byte(cmp).open(Op.if, 'br'); c.goto(s.off + s.imm); w.end();
    return;
  }
  switch (op) {
    case K.OP_NOP: return;
    case K.OP_ADDI: return bin(Op.i64Add, imm);
    case K.OP_LI: case K.OP_LUI: imm(); return setR(w, rd);
    case K.OP_SLTI: a(); imm(); w.byte(Op.i64LtS, Op.i64ExtendI32U); return setR(w, rd);
    case K.OP_SLTIU: a(); imm(); w.byte(Op.i64LtU, Op.i64ExtendI32U); return setR(w, rd);
    case K.OP_XORI: return bin(Op.i64Xor, imm);
    case K.OP_ORI: return bin(Op.i64Or, imm);
    case K.OP_ANDI: return bin(Op.i64And, imm);
    case K.OP_SLLI: return bin(Op.i64Shl, imm);
    case K.OP_SRLI: return bin(Op.i64ShrU, imm);
    case K.OP_SRAI: return bin(Op.i64ShrS, imm);
    case K.OP_ADDIW: case K.OP_SLLIW: case K.OP_SRLIW: case K.OP_SRAIW: {
      const opc = [Op.i32Add, Op.i32Shl, Op.i32ShrU, Op.i32ShrS][op - K.OP_ADDIW];
      a(); w.byte(Op.i32WrapI64).i32(s.imm).byte(opc, Op.i64ExtendI32S); return setR(w, rd);
    }
    case K.OP_AUIPC: pcRel(s.imm); return setR(w, rd);
    case K.OP_JAL: case K.OP_J:
      if (op === K.OP_JAL) { pcRel(s.len); setR(w, rd); }
      return c.goto(s.off + s.imm);
    case K.OP_JALR: case K.OP_JR:
      a(); imm(); w.byte(Op.i64Add).i64(-2).byte(Op.i64And).set(L.va); // target before rd is written
      if (op === K.OP_JALR) { pcRel(s.len); setR(w, rd); }
      w.get(L.va).get(L.fbase).byte(Op.i64Sub);
      return c.exitDynamic();
    case K.OP_ADD: return bin(Op.i64Add, b);
    case K.OP_ADD + 1: return bin(Op.i64Shl, b);
    case K.OP_ADD + 2: a(); b(); w.byte(Op.i64LtS, Op.i64ExtendI32U); return setR(w, rd);
    case K.OP_ADD + 3: a(); b(); w.byte(Op.i64LtU, Op.i64ExtendI32U); return setR(w, rd);
    case K.OP_ADD + 4: return bin(Op.i64Xor, b);
    case K.OP_ADD + 5: return bin(Op.i64ShrU, b);
    case K.OP_ADD + 6: return bin(Op.i64Or, b);
    case K.OP_ADD + 7: return bin(Op.i64And, b);
    case K.OP_SUB: return bin(Op.i64Sub, b);
    case K.OP_SRA: return bin(Op.i64ShrS, b);
    case K.OP_MUL: return bin(Op.i64Mul, b);
    case K.OP_MUL + 1: case K.OP_MUL + 2: case K.OP_MUL + 3:
      a(); b(); w.i32(op - K.OP_MUL).byte(Op.call).u32(F.mulh); return setR(w, rd);
    case K.OP_MUL + 4: case K.OP_MUL + 5: case K.OP_MUL + 6: case K.OP_MUL + 7:
      divRem(w, op - K.OP_MUL, a, b, false); return setR(w, rd);
    case K.OP_ADDW: return w32(Op.i32Add);
    case K.OP_SUBW: return w32(Op.i32Sub);
    case K.OP_SLLW: return w32(Op.i32Shl);
    case K.OP_SRLW: return w32(Op.i32ShrU);
    case K.OP_SRAW: return w32(Op.i32ShrS);
    case K.OP_MULW: return w32(Op.i32Mul);
    case K.OP_MULW + 4: case K.OP_MULW + 5: case K.OP_MULW + 6: case K.OP_MULW + 7: {
      const a32 = (): void => { a(); w.byte(Op.i32WrapI64); };
      const b32 = (): void => { b(); w.byte(Op.i32WrapI64); };
      divRem(w, op - K.OP_MULW, a32, b32, true); w.byte(Op.i64ExtendI32S); return setR(w, rd);
    }
    default: throw new Error(`jit: op ${op} is not translatable`);
  }
}

/** div/divu/rem/remu (f3 4..7) per the spec: no wasm trap on /0 or MIN/-1. */
function divRem(w: CodeWriter, f3: number, a: () => void, b: () => void, word: boolean): void {
  const T = word ? 0x7f : I64;
  const c = (v: number): void => { if (word) w.i32(v); else w.i64(v); };
  const eqz = (): void => { if (word) w.byte(0x45); else w.byte(Op.i64Eqz); }; // i32.eqz / i64.eqz
  const eq = word ? Op.i32Eq : Op.i64Eq;
  const ops = word ? [Op.i32DivS, Op.i32DivU, Op.i32RemS, Op.i32RemU] : [Op.i64DivS, Op.i64DivU, Op.i64RemS, Op.i64RemU];
  b(); eqz(); w.open(Op.if, 'd0', T);
  if (f3 <= 5) c(-1); else a(); // x/0 = -1, x%0 = x
  w.else_();
  if (f3 === 4 || f3 === 6) { // signed: MIN / -1 = MIN, MIN % -1 = 0
    b(); c(-1); w.byte(eq).open(Op.if, 'd1', T);
    if (f3 === 4) { a(); c(-1); w.byte(word ? Op.i32Mul : Op.i64Mul); } else c(0); // x / -1 = -x (MIN stays MIN)
    w.else_(); a(); b(); w.byte(ops[f3 - 4]); w.end();
  } else { a(); b(); w.byte(ops[f3 - 4]); }
  w.end();
}
