// RVC: every 16-bit instruction expanded to its 32-bit equivalent once, into
// a 64 Ki-entry table (CTABLE) the interpreter indexes. 0 marks illegal.
import { CTABLE } from "./layout";

@inline function bits(c: u32, hi: u32, lo: u32): u32 { return (c >> lo) & ((1 << (hi - lo + 1)) - 1); }
@inline function sext(v: u32, width: u32): i32 { return (<i32>(v << (32 - width))) >> (32 - width); }

function iType(imm: i32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return ((<u32>imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
function sType(imm: i32, rs2: u32, rs1: u32, f3: u32, op: u32): u32 {
  const u = <u32>imm;
  return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 31) << 7) | op;
}
function rType(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
function bType(imm: i32, rs2: u32, rs1: u32, f3: u32): u32 {
  const u = <u32>imm;
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
function jType(imm: i32, rd: u32): u32 {
  const u = <u32>imm;
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) |
    (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

export function expand(c: u32): u32 {
  const q = c & 3;
  const f3 = c >> 13;
  const rdp = bits(c, 4, 2) + 8; // rd'/rs2'
  const rs1p = bits(c, 9, 7) + 8;
  const rd = bits(c, 11, 7);
  const rs2 = bits(c, 6, 2);
  if (q == 0) {
    const uLd = (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6); // ld/sd/fld/fsd offset
    const uLw = (bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6);
    switch (f3) {
      case 0: {
        const imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 3);
        if (imm == 0) return 0;
        return iType(<i32>imm, 2, 0, rdp, 0x13);
      }
      case 1: return iType(<i32>uLd, rs1p, 3, rdp, 0x07);
      case 2: return iType(<i32>uLw, rs1p, 2, rdp, 0x03);
      case 3: return iType(<i32>uLd, rs1p, 3, rdp, 0x03);
      case 5: return sType(<i32>uLd, rdp, rs1p, 3, 0x27);
      case 6: return sType(<i32>uLw, rdp, rs1p, 2, 0x23);
      case 7: return sType(<i32>uLd, rdp, rs1p, 3, 0x23);
    }
    return 0;
  }
  if (q == 1) {
    const imm6 = sext((bits(c, 12, 12) << 5) | bits(c, 6, 2), 6);
    switch (f3) {
      case 0: return iType(imm6, rd, 0, rd, 0x13); // c.addi / c.nop
      case 1: if (rd == 0) return 0; return iType(imm6, rd, 0, rd, 0x1b); // c.addiw
      case 2: return iType(imm6, 0, 0, rd, 0x13); // c.li
      case 3: {
        if (rd == 2) {
          const raw = (bits(c, 12, 12) << 9) | (bits(c, 6, 6) << 4) | (bits(c, 5, 5) << 6) | (bits(c, 4, 3) << 7) | (bits(c, 2, 2) << 5);
          if (raw == 0) return 0;
          return iType(sext(raw, 10), 2, 0, 2, 0x13); // c.addi16sp
        }
        if (imm6 == 0) return 0;
        return ((<u32>imm6 & 0xfffff) << 12) | (rd << 7) | 0x37; // c.lui
      }
      case 4: {
        const f2 = bits(c, 11, 10);
        const sh = (bits(c, 12, 12) << 5) | bits(c, 6, 2);
        if (f2 == 0) return iType(<i32>sh, rs1p, 5, rs1p, 0x13); // c.srli
        if (f2 == 1) return iType(<i32>(sh | 0x400), rs1p, 5, rs1p, 0x13); // c.srai
        if (f2 == 2) return iType(imm6, rs1p, 7, rs1p, 0x13); // c.andi
        const op2 = bits(c, 6, 5);
        if (bits(c, 12, 12) == 0) {
          if (op2 == 0) return rType(0x20, rdp, rs1p, 0, rs1p, 0x33); // c.sub
          if (op2 == 1) return rType(0, rdp, rs1p, 4, rs1p, 0x33); // c.xor
          if (op2 == 2) return rType(0, rdp, rs1p, 6, rs1p, 0x33); // c.or
          return rType(0, rdp, rs1p, 7, rs1p, 0x33); // c.and
        }
        if (op2 == 0) return rType(0x20, rdp, rs1p, 0, rs1p, 0x3b); // c.subw
        if (op2 == 1) return rType(0, rdp, rs1p, 0, rs1p, 0x3b); // c.addw
        return 0;
      }
      case 5: {
        const raw = (bits(c, 12, 12) << 11) | (bits(c, 11, 11) << 4) | (bits(c, 10, 9) << 8) | (bits(c, 8, 8) << 10) |
          (bits(c, 7, 7) << 6) | (bits(c, 6, 6) << 7) | (bits(c, 5, 3) << 1) | (bits(c, 2, 2) << 5);
        return jType(sext(raw, 12), 0);
      }
      default: { // 6 c.beqz, 7 c.bnez
        const raw = (bits(c, 12, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) | (bits(c, 4, 3) << 1) | (bits(c, 2, 2) << 5);
        return bType(sext(raw, 9), 0, rs1p, f3 == 6 ? 0 : 1);
      }
    }
  }
  if (q == 2) {
    const sh = (bits(c, 12, 12) << 5) | bits(c, 6, 2);
    const uLdsp = (bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
    const uSdsp = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
    switch (f3) {
      case 0: return iType(<i32>sh, rd, 1, rd, 0x13); // c.slli
      case 1: return iType(<i32>uLdsp, 2, 3, rd, 0x07); // c.fldsp
      case 2: {
        if (rd == 0) return 0;
        const u = (bits(c, 12, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
        return iType(<i32>u, 2, 2, rd, 0x03); // c.lwsp
      }
      case 3: if (rd == 0) return 0; return iType(<i32>uLdsp, 2, 3, rd, 0x03); // c.ldsp
      case 4: {
        if (bits(c, 12, 12) == 0) {
          if (rs2 == 0) { if (rd == 0) return 0; return iType(0, rd, 0, 0, 0x67); } // c.jr
          return rType(0, rs2, 0, 0, rd, 0x33); // c.mv
        }
        if (rs2 == 0) {
          if (rd == 0) return 0x00100073; // c.ebreak
          return iType(0, rd, 0, 1, 0x67); // c.jalr
        }
        return rType(0, rs2, rd, 0, rd, 0x33); // c.add
      }
      case 5: return sType(<i32>uSdsp, rs2, 2, 3, 0x27); // c.fsdsp
      case 6: {
        const u = (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
        return sType(<i32>u, rs2, 2, 2, 0x23); // c.swsp
      }
      default: return sType(<i32>uSdsp, rs2, 2, 3, 0x23); // c.sdsp
    }
  }
  return 0;
}

/** Fill CTABLE. Idempotent (every instance writes the same values). */
export function buildCTable(): void {
  for (let c: u32 = 0; c < 0x10000; c++) {
    store<u32>(CTABLE + (c << 2), (c & 3) == 3 ? 0 : expand(c));
  }
}
