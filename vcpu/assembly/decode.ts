// Pre-decoder: one instruction (RVC already expanded) into an 8-byte slot
//   word 0: op (bits 0..6) | RVC flag (bit 7) | rd*8 (8..15) | rs1*8 (16..23) | rs2*8 (24..31)
//   (the interpreter reads the register bytes with byte loads)
//   word 1: imm (sign-extended immediate, shift amount, or the instruction
//           bits for the out-of-line groups)
// For OP_SYSTEM/OP_FP/OP_AMO/OP_ILLEGAL word 0 bits 16..31 carry the raw
// 16-bit encoding of an RVC instruction (for mtval). Only loads ever write x0
// (the interpreter re-zeroes it); every other x0 destination decodes to a
// NOP or J/JR.

// special slots (op < OP_FIRST): never executed, they steer the loop
export const OP_DECODE: u32 = 0; // slot not decoded yet
export const OP_STRADDLE: u32 = 1; // 32-bit instruction across the page end: fetch every time
export const OP_REFILL: u32 = 2; // pc is outside the cached fetch page (DC_EMPTY is all 2s)
export const OP_FIRST: u32 = 3;
// out-of-line groups
export const OP_ILLEGAL: u32 = 3;
export const OP_SYSTEM: u32 = 4;
export const OP_AMO: u32 = 5;
export const OP_FP: u32 = 6;
export const OP_FENCE: u32 = 7;
export const OP_FENCE_I: u32 = 8;
export const OP_NOP: u32 = 9; // a register op whose rd is x0: x0 is never written
export const OP_J: u32 = 39; // jal x0
export const OP_JR: u32 = 79; // jalr x0
// loads: OP_LB + funct3; stores: OP_SB + funct3
export const OP_LB: u32 = 10; // LB LH LW LD LBU LHU LWU
export const OP_SB: u32 = 17; // SB SH SW SD
// OP-IMM
export const OP_ADDI: u32 = 21;
export const OP_LI: u32 = 22; // addi rd, x0, imm
export const OP_SLTI: u32 = 23;
export const OP_SLTIU: u32 = 24;
export const OP_XORI: u32 = 25;
export const OP_ORI: u32 = 26;
export const OP_ANDI: u32 = 27;
export const OP_SLLI: u32 = 28;
export const OP_SRLI: u32 = 29;
export const OP_SRAI: u32 = 30;
export const OP_ADDIW: u32 = 31;
export const OP_SLLIW: u32 = 32;
export const OP_SRLIW: u32 = 33;
export const OP_SRAIW: u32 = 34;
export const OP_LUI: u32 = 35;
export const OP_AUIPC: u32 = 36;
export const OP_JAL: u32 = 37;
export const OP_JALR: u32 = 38;
// branches: OP_BEQ + funct3 (2 and 3 do not exist)
export const OP_BEQ: u32 = 40; // BEQ BNE - - BLT BGE BLTU BGEU
// OP: OP_ADD + funct3 (f7 0), OP_MUL + funct3 (f7 1), SUB, SRA
export const OP_ADD: u32 = 48; // ADD SLL SLT SLTU XOR SRL OR AND
export const OP_MUL: u32 = 56; // MUL MULH MULHSU MULHU DIV DIVU REM REMU
export const OP_SUB: u32 = 64;
export const OP_SRA: u32 = 65;
// OP-32
export const OP_ADDW: u32 = 66;
export const OP_SUBW: u32 = 67;
export const OP_SLLW: u32 = 68;
export const OP_SRLW: u32 = 69;
export const OP_SRAW: u32 = 70;
export const OP_MULW: u32 = 71; // MULW - - - DIVW DIVUW REMW REMUW (OP_MULW + funct3)

/** Decoder output. */
export let dWord: u32 = 0;
export let dImm: i32 = 0;

@inline function iImm(inst: u32): i32 { return (<i32>inst) >> 20; }

/** Decode `inst` (32-bit form; `rvc` when it came from a 16-bit `raw`). */
export function decode(inst: u32, raw: u32, rvc: bool): void {
  const rd = (inst >> 7) & 31;
  const rs1 = (inst >> 15) & 31;
  const rs2 = (inst >> 20) & 31;
  const f3 = (inst >> 12) & 7;
  const f7 = inst >> 25;
  let op = OP_ILLEGAL;
  let imm: i32 = <i32>raw;
  switch (inst & 0x7f) {
    case 0x03: if (f3 != 7) { op = OP_LB + f3; imm = iImm(inst); } break;
    case 0x23:
      if (f3 <= 3) { op = OP_SB + f3; imm = (<i32>(inst & 0xFE00_0000) >> 20) | <i32>((inst >> 7) & 31); }
      break;
    case 0x13: {
      imm = iImm(inst);
      switch (f3) {
        case 0: op = rs1 == 0 ? OP_LI : OP_ADDI; break;
        case 1: if ((inst >> 26) == 0) { op = OP_SLLI; imm &= 63; } break;
        case 2: op = OP_SLTI; break;
        case 3: op = OP_SLTIU; break;
        case 4: op = OP_XORI; break;
        case 5: if ((inst >> 26) == 0) op = OP_SRLI; else if ((inst >> 26) == 0x10) op = OP_SRAI; imm &= 63; break;
        case 6: op = OP_ORI; break;
        default: op = OP_ANDI; break;
      }
      if (op == OP_ILLEGAL) imm = <i32>raw;
      break;
    }
    case 0x1B:
      if (f3 == 0) { op = OP_ADDIW; imm = iImm(inst); }
      else if (f3 == 1 && f7 == 0) { op = OP_SLLIW; imm = <i32>rs2; }
      else if (f3 == 5 && f7 == 0) { op = OP_SRLIW; imm = <i32>rs2; }
      else if (f3 == 5 && f7 == 0x20) { op = OP_SRAIW; imm = <i32>rs2; }
      break;
    case 0x33:
      if (f7 == 0) op = OP_ADD + f3;
      else if (f7 == 1) op = OP_MUL + f3;
      else if (f7 == 0x20 && f3 == 0) op = OP_SUB;
      else if (f7 == 0x20 && f3 == 5) op = OP_SRA;
      break;
    case 0x3B:
      if (f7 == 0) { if (f3 == 0) op = OP_ADDW; else if (f3 == 1) op = OP_SLLW; else if (f3 == 5) op = OP_SRLW; }
      else if (f7 == 0x20) { if (f3 == 0) op = OP_SUBW; else if (f3 == 5) op = OP_SRAW; }
      else if (f7 == 1 && (f3 == 0 || f3 >= 4)) op = OP_MULW + f3;
      break;
    case 0x37: op = OP_LUI; imm = <i32>(inst & 0xFFFF_F000); break;
    case 0x17: op = OP_AUIPC; imm = <i32>(inst & 0xFFFF_F000); break;
    case 0x6F:
      op = OP_JAL;
      imm = (<i32>(inst & 0x8000_0000) >> 11) | <i32>(inst & 0xFF000) | <i32>((inst >> 9) & 0x800) | <i32>((inst >> 20) & 0x7FE);
      break;
    case 0x67: if (f3 == 0) { op = OP_JALR; imm = iImm(inst); } break;
    case 0x63:
      if (f3 != 2 && f3 != 3) {
        op = OP_BEQ + f3;
        imm = (<i32>(inst & 0x8000_0000) >> 19) | <i32>((inst << 4) & 0x800) | <i32>((inst >> 20) & 0x7E0) | <i32>((inst >> 7) & 0x1E);
      }
      break;
    case 0x0F: if (f3 == 0) { op = OP_FENCE; imm = <i32>inst; } else if (f3 == 1) op = OP_FENCE_I; break; // imm: PAUSE is one FENCE encoding
    case 0x73: op = OP_SYSTEM; imm = <i32>inst; break;
    case 0x2F: op = OP_AMO; imm = <i32>inst; break;
    case 0x07: case 0x27: case 0x43: case 0x47: case 0x4B: case 0x4F: case 0x53:
      op = OP_FP; imm = <i32>inst; break;
  }
  if (rd == 0) {
    if ((op >= OP_ADDI && op <= OP_AUIPC) || (op >= OP_ADD && op <= OP_MULW + 7)) op = OP_NOP;
    else if (op == OP_JAL) op = OP_J;
    else if (op == OP_JALR) op = OP_JR;
  }
  const flag: u32 = rvc ? 0x80 : 0;
  if (op <= OP_FP) dWord = op | flag | (rvc ? raw << 16 : 0); // out-of-line: raw bits instead of registers
  else dWord = op | flag | (rd << 11) | (rs1 << 19) | (rs2 << 27);
  dImm = imm;
}
