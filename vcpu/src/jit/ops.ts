/** The decode-slot op numbers of vcpu/assembly/decode.ts (ops.test.ts keeps
 *  the two identical) and the slot fields the translator reads. */
export const OP_FIRST = 3;
/** F/D instructions: word 1 holds the expanded instruction, bits 16.. of word 0 the RVC bits. */
export const OP_AMO = 5;
export const OP_FP = 6;
export const OP_NOP = 9;
export const OP_LB = 10;
export const OP_SB = 17;
export const OP_ADDI = 21;
export const OP_LI = 22;
export const OP_SLTI = 23;
export const OP_SLTIU = 24;
export const OP_XORI = 25;
export const OP_ORI = 26;
export const OP_ANDI = 27;
export const OP_SLLI = 28;
export const OP_SRLI = 29;
export const OP_SRAI = 30;
export const OP_ADDIW = 31;
export const OP_SLLIW = 32;
export const OP_SRLIW = 33;
export const OP_SRAIW = 34;
export const OP_LUI = 35;
export const OP_AUIPC = 36;
export const OP_JAL = 37;
export const OP_JALR = 38;
export const OP_J = 39;
export const OP_BEQ = 40;
export const OP_ADD = 48;
export const OP_MUL = 56;
export const OP_SUB = 64;
export const OP_SRA = 65;
export const OP_ADDW = 66;
export const OP_SUBW = 67;
export const OP_SLLW = 68;
export const OP_SRLW = 69;
export const OP_SRAW = 70;
export const OP_MULW = 71;
export const OP_JR = 79;
/** Entry marker written over an entry point's slot (assembly/jit.ts). */
export const OP_JIT = 80;

/** `raw`: the instruction's own bits (16 for RVC), for mtval. */
export interface Slot { off: number; op: number; rvc: boolean; rd: number; rs1: number; rs2: number; imm: number; len: number; raw: number }

export function readSlot(off: number, w0: number, imm: number): Slot {
  const rvc = (w0 & 0x80) !== 0;
  const op = w0 & 0x7f;
  const raw = rvc ? w0 >>> 16 : imm >>> 0;
  // F/D: the x registers it may read (rs1) or write (rd); rs2 is never an x register
  if (op === OP_FP) return { off, op, rvc, rd: (imm >>> 7) & 31, rs1: (imm >>> 15) & 31, rs2: 0, imm: imm | 0, len: rvc ? 2 : 4, raw };
  // AMO/LR/SC (never RVC): word 1 is the instruction
  if (op === OP_AMO) return { off, op, rvc, rd: (imm >>> 7) & 31, rs1: (imm >>> 15) & 31, rs2: (imm >>> 20) & 31, imm: imm | 0, len: 4, raw };
  return { off, op, rvc, rd: (w0 >>> 11) & 31, rs1: (w0 >>> 19) & 31, rs2: (w0 >>> 27) & 31, imm: imm | 0, len: rvc ? 2 : 4, raw };
}

/** Ops the translator compiles inline; everything else returns to the interpreter. */
export function translatable(op: number): boolean {
  if (op === OP_FP || op === OP_AMO || op === OP_NOP || (op >= OP_LB && op <= OP_SB + 3) || (op >= OP_ADDI && op <= OP_J)) return true;
  if (op >= OP_BEQ && op <= OP_BEQ + 7) return op !== OP_BEQ + 2 && op !== OP_BEQ + 3;
  if (op >= OP_ADD && op <= OP_SRAW) return true;
  return op === OP_MULW || (op >= OP_MULW + 4 && op <= OP_MULW + 7) || op === OP_JR;
}

export const isBranch = (op: number): boolean => op >= OP_BEQ && op <= OP_BEQ + 7;
/** Ends straight-line flow: control moves elsewhere (or may). */
export const isControl = (op: number): boolean => isBranch(op) || op === OP_JAL || op === OP_J || op === OP_JALR || op === OP_JR;
