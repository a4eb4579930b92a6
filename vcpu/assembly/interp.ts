// The interpreter loop: the one function a binary translator would replace.
// It executes pre-decoded slots (decode.ts, dcache.ts) and runs from the hart state's pc until instret reaches `limit`, an exit,
// or an instruction that needs the slice to end (CSR write, xRET, WFI...).
// Contract: reads/writes pc and instret in the hart state; traps are taken
// inline; returns 0 (slice done) or an EXIT_* kind recorded in the hart state.
import { H_PC, H_KICK, H_INSTRET, H_TLB_READ, H_TLB_WRITE, H_EXIT_KIND, H_EXIT_ILEN, CTABLE, DC_EMPTY, LD_SIGNED, LD_UNSIGNED } from "./layout";
import { hb, fault, fcause, ftval, exitAdvance, clearFault, raise, setRaw, F_TRAP, F_NONE } from "./state";
import { PAGE_MASK, fetchSlow, loadSlow, storeSlow } from "./mmu";
import { codePage, gCodeHost, dcFlush } from "./dcache";
import {
  decode, dWord, dImm, OP_DECODE, OP_STRADDLE, OP_REFILL, OP_SYSTEM, OP_AMO, OP_FP, OP_FENCE, OP_FENCE_I,
  OP_LB, OP_SB, OP_ADDI, OP_LI, OP_SLTI, OP_SLTIU, OP_XORI, OP_ORI, OP_ANDI, OP_SLLI, OP_SRLI, OP_SRAI,
  OP_ADDIW, OP_SLLIW, OP_SRLIW, OP_SRAIW, OP_LUI, OP_AUIPC, OP_JAL, OP_JALR, OP_BEQ, OP_ADD, OP_MUL, OP_SUB,
  OP_SRA, OP_ADDW, OP_SUBW, OP_SLLW, OP_SRLW, OP_SRAW, OP_MULW,
} from "./decode";
import { trapEnter } from "./trap";
import { execSystem } from "./system";
import { execAmo } from "./amo";
import { execFp } from "./fp";

// @ts-ignore: decorator
@inline function mulhu(a: u64, b: u64): u64 {
  const aL = a & 0xFFFF_FFFF, aH = a >> 32, bL = b & 0xFFFF_FFFF, bH = b >> 32;
  const p0 = aL * bL, p1 = aL * bH, p2 = aH * bL, p3 = aH * bH;
  const mid = (p0 >> 32) + (p1 & 0xFFFF_FFFF) + (p2 & 0xFFFF_FFFF);
  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

// @ts-ignore: decorator
@inline function extendLoad(v: u64, f3: u32): u64 {
  switch (f3) {
    case 0: return <u64><i64><i8>v;
    case 1: return <u64><i64><i16>v;
    case 2: return <u64><i64><i32>v;
    default: return v; // ld, lbu, lhu, lwu come back zero-extended
  }
}

// @ts-ignore: decorator
@inline function loadOp(h: u32, op: u32): u64 {
  switch (op) {
    case OP_LB: return <u64><i64>load<i8>(h);
    case OP_LB + 1: return <u64><i64>load<i16>(h);
    case OP_LB + 2: return <u64><i64>load<i32>(h);
    case OP_LB + 3: return load<u64>(h);
    case OP_LB + 4: return <u64>load<u8>(h);
    case OP_LB + 5: return <u64>load<u16>(h);
    default: return <u64>load<u32>(h);
  }
}

export function interpret(limit: u64): i32 {
  const xb = hb;
  const tlbR = xb + H_TLB_READ;
  const tlbW = xb + H_TLB_WRITE;
  let pc = load<u64>(xb + H_PC);
  let ic = load<u64>(xb + H_INSTRET);
  // The cached fetch page: virtual page base, its decode page and host page.
  // DC_EMPTY answers OP_REFILL for every pc, so the first fetch fills it.
  let ftag: u64 = 0;
  let dpage: u32 = DC_EMPTY;
  let fhost: u32 = 0;
  while (ic < limit) {
    store<u64>(xb, 0); // x0
    const s = pc - ftag <= 0xffe ? dpage + ((<u32>pc & 0xffe) << 2) : DC_EMPTY;
    let w = load<u32>(s);
    let imm = load<i32>(s, 4);
    if ((w & 0x7f) == OP_STRADDLE) { // not cacheable: the second half lives on another page
      const inst = fetchSlow(pc);
      if (fault == F_NONE) { decode(inst, inst, false); w = dWord; imm = dImm; }
      else w = OP_REFILL; // the refill case below sees the fault and leaves
    }
    const ilen: u64 = 4 - ((w >> 6) & 2);
    let npc = pc + ilen;
    const rdo = (w >> 8) & 0xff;
    const r1o = (w >> 16) & 0xff;
    const r2o = w >> 24;
    switch (w & 0x7f) {
      case OP_REFILL: {
        if (fault != F_NONE) break;
        const page = codePage(pc);
        if (fault != F_NONE) break;
        dpage = page; ftag = pc & PAGE_MASK; fhost = gCodeHost;
        continue;
      }
      case OP_DECODE: {
        const off = <u32>pc & 0xffe;
        const lo = <u32>load<u16>(fhost + off);
        if ((lo & 3) != 3) decode(load<u32>(CTABLE + (lo << 2)), lo, true);
        else if (off == 0xffe) { store<u32>(s, OP_STRADDLE); continue; }
        else { const inst = load<u32>(fhost + off); decode(inst, inst, false); }
        store<u32>(s, dWord);
        store<i32>(s, dImm, 4);
        continue;
      }
      case OP_LB: case OP_LB + 1: case OP_LB + 2: case OP_LB + 3: case OP_LB + 4: case OP_LB + 5: case OP_LB + 6: {
        const op = w & 0x7f;
        const va = load<u64>(xb + r1o) + <u64><i64>imm;
        const f3 = op - OP_LB;
        const size: u32 = 1 << (f3 & 3);
        const e = tlbR + ((<u32>(va >> 12) & 255) << 4);
        let v: u64;
        if (load<u64>(e) == (va & PAGE_MASK) && (<u32>va & 0xfff) <= 4096 - size) {
          v = loadOp(<u32>(va + load<u64>(e, 8)), op);
        } else {
          v = loadSlow(va, size, rdo >> 3, f3 >= 4 ? LD_UNSIGNED : LD_SIGNED);
          if (fault != F_NONE) break;
          v = extendLoad(v, f3);
        }
        store<u64>(xb + rdo, v);
        pc = npc; ic++;
        continue;
      }
      case OP_SB: case OP_SB + 1: case OP_SB + 2: case OP_SB + 3: {
        const f3 = (w & 0x7f) - OP_SB;
        const va = load<u64>(xb + r1o) + <u64><i64>imm;
        const size: u32 = 1 << f3;
        const v = load<u64>(xb + r2o);
        const e = tlbW + ((<u32>(va >> 12) & 255) << 4);
        if (load<u64>(e) == (va & PAGE_MASK) && (<u32>va & 0xfff) <= 4096 - size) {
          const h = <u32>(va + load<u64>(e, 8));
          switch (f3) {
            case 0: store<u8>(h, <u8>v); break;
            case 1: store<u16>(h, <u16>v); break;
            case 2: store<u32>(h, <u32>v); break;
            default: store<u64>(h, v); break;
          }
          pc = npc; ic++;
          continue;
        }
        storeSlow(va, size, v);
        break;
      }
      case OP_ADDI: store<u64>(xb + rdo, load<u64>(xb + r1o) + <u64><i64>imm); pc = npc; ic++; continue;
      case OP_LI: store<u64>(xb + rdo, <u64><i64>imm); pc = npc; ic++; continue;
      case OP_SLTI: store<u64>(xb + rdo, <i64>load<u64>(xb + r1o) < <i64>imm ? 1 : 0); pc = npc; ic++; continue;
      case OP_SLTIU: store<u64>(xb + rdo, load<u64>(xb + r1o) < <u64><i64>imm ? 1 : 0); pc = npc; ic++; continue;
      case OP_XORI: store<u64>(xb + rdo, load<u64>(xb + r1o) ^ <u64><i64>imm); pc = npc; ic++; continue;
      case OP_ORI: store<u64>(xb + rdo, load<u64>(xb + r1o) | <u64><i64>imm); pc = npc; ic++; continue;
      case OP_ANDI: store<u64>(xb + rdo, load<u64>(xb + r1o) & <u64><i64>imm); pc = npc; ic++; continue;
      case OP_SLLI: store<u64>(xb + rdo, load<u64>(xb + r1o) << <u64><i64>imm); pc = npc; ic++; continue;
      case OP_SRLI: store<u64>(xb + rdo, load<u64>(xb + r1o) >> <u64><i64>imm); pc = npc; ic++; continue;
      case OP_SRAI: store<u64>(xb + rdo, <u64>(<i64>load<u64>(xb + r1o) >> <i64>imm)); pc = npc; ic++; continue;
      case OP_ADDIW: store<u64>(xb + rdo, <u64><i64>(<i32>load<u64>(xb + r1o) + imm)); pc = npc; ic++; continue;
      case OP_SLLIW: store<u64>(xb + rdo, <u64><i64>(<i32>load<u64>(xb + r1o) << imm)); pc = npc; ic++; continue;
      case OP_SRLIW: store<u64>(xb + rdo, <u64><i64><i32>(<u32>load<u64>(xb + r1o) >> <u32>imm)); pc = npc; ic++; continue;
      case OP_SRAIW: store<u64>(xb + rdo, <u64><i64>(<i32>load<u64>(xb + r1o) >> imm)); pc = npc; ic++; continue;
      case OP_LUI: store<u64>(xb + rdo, <u64><i64>imm); pc = npc; ic++; continue;
      case OP_AUIPC: store<u64>(xb + rdo, pc + <u64><i64>imm); pc = npc; ic++; continue;
      case OP_JAL: store<u64>(xb + rdo, npc); pc += <u64><i64>imm; ic++; continue;
      case OP_JALR: {
        const t = (load<u64>(xb + r1o) + <u64><i64>imm) & ~(<u64>1);
        store<u64>(xb + rdo, npc);
        pc = t; ic++;
        continue;
      }
      case OP_BEQ: pc = load<u64>(xb + r1o) == load<u64>(xb + r2o) ? pc + <u64><i64>imm : npc; ic++; continue;
      case OP_BEQ + 1: pc = load<u64>(xb + r1o) != load<u64>(xb + r2o) ? pc + <u64><i64>imm : npc; ic++; continue;
      case OP_BEQ + 4: pc = <i64>load<u64>(xb + r1o) < <i64>load<u64>(xb + r2o) ? pc + <u64><i64>imm : npc; ic++; continue;
      case OP_BEQ + 5: pc = <i64>load<u64>(xb + r1o) >= <i64>load<u64>(xb + r2o) ? pc + <u64><i64>imm : npc; ic++; continue;
      case OP_BEQ + 6: pc = load<u64>(xb + r1o) < load<u64>(xb + r2o) ? pc + <u64><i64>imm : npc; ic++; continue;
      case OP_BEQ + 7: pc = load<u64>(xb + r1o) >= load<u64>(xb + r2o) ? pc + <u64><i64>imm : npc; ic++; continue;
      case OP_ADD: case OP_ADD + 1: case OP_ADD + 2: case OP_ADD + 3: case OP_ADD + 4: case OP_ADD + 5:
      case OP_ADD + 6: case OP_ADD + 7: case OP_SUB: case OP_SRA:
      case OP_MUL: case OP_MUL + 1: case OP_MUL + 2: case OP_MUL + 3: case OP_MUL + 4: case OP_MUL + 5:
      case OP_MUL + 6: case OP_MUL + 7: {
        const a = load<u64>(xb + r1o);
        const b = load<u64>(xb + r2o);
        let v: u64;
        switch (w & 0x7f) {
          case OP_ADD: v = a + b; break;
          case OP_ADD + 1: v = a << (b & 63); break;
          case OP_ADD + 2: v = <i64>a < <i64>b ? 1 : 0; break;
          case OP_ADD + 3: v = a < b ? 1 : 0; break;
          case OP_ADD + 4: v = a ^ b; break;
          case OP_ADD + 5: v = a >> (b & 63); break;
          case OP_ADD + 6: v = a | b; break;
          case OP_ADD + 7: v = a & b; break;
          case OP_SUB: v = a - b; break;
          case OP_SRA: v = <u64>(<i64>a >> <i64>(b & 63)); break;
          case OP_MUL: v = a * b; break;
          case OP_MUL + 1: v = mulhu(a, b) - (<i64>a < 0 ? b : 0) - (<i64>b < 0 ? a : 0); break; // mulh
          case OP_MUL + 2: v = mulhu(a, b) - (<i64>a < 0 ? b : 0); break; // mulhsu
          case OP_MUL + 3: v = mulhu(a, b); break;
          case OP_MUL + 4: // div
            if (b == 0) v = 0xFFFF_FFFF_FFFF_FFFF;
            else if (a == 0x8000_0000_0000_0000 && b == 0xFFFF_FFFF_FFFF_FFFF) v = a;
            else v = <u64>(<i64>a / <i64>b);
            break;
          case OP_MUL + 5: v = b == 0 ? 0xFFFF_FFFF_FFFF_FFFF : a / b; break; // divu
          case OP_MUL + 6: // rem
            if (b == 0) v = a;
            else if (b == 0xFFFF_FFFF_FFFF_FFFF) v = 0;
            else v = <u64>(<i64>a % <i64>b);
            break;
          default: v = b == 0 ? a : a % b; break; // remu
        }
        store<u64>(xb + rdo, v);
        pc = npc; ic++;
        continue;
      }
      case OP_ADDW: case OP_SUBW: case OP_SLLW: case OP_SRLW: case OP_SRAW:
      case OP_MULW: case OP_MULW + 4: case OP_MULW + 5: case OP_MULW + 6: case OP_MULW + 7: {
        const a = <u32>load<u64>(xb + r1o);
        const b = <u32>load<u64>(xb + r2o);
        let v: i32;
        switch (w & 0x7f) {
          case OP_ADDW: v = <i32>(a + b); break;
          case OP_SUBW: v = <i32>(a - b); break;
          case OP_SLLW: v = <i32>(a << (b & 31)); break;
          case OP_SRLW: v = <i32>(a >> (b & 31)); break;
          case OP_SRAW: v = (<i32>a) >> (b & 31); break;
          case OP_MULW: v = <i32>(a * b); break;
          case OP_MULW + 4: v = b == 0 ? -1 : (a == 0x8000_0000 && b == 0xFFFF_FFFF) ? <i32>a : (<i32>a) / (<i32>b); break;
          case OP_MULW + 5: v = b == 0 ? -1 : <i32>(a / b); break;
          case OP_MULW + 6: v = b == 0 ? <i32>a : b == 0xFFFF_FFFF ? 0 : (<i32>a) % (<i32>b); break;
          default: v = b == 0 ? <i32>a : <i32>(a % b); break;
        }
        store<u64>(xb + rdo, <u64><i64>v);
        pc = npc; ic++;
        continue;
      }
      case OP_FENCE:
        atomic.or<i32>(xb + H_KICK, 0); // seq-cst RMW = full fence (binaryen rejects atomic.fence here)
        break;
      case OP_FENCE_I:
        dcFlush();
        dpage = DC_EMPTY;
        break;
      case OP_SYSTEM: {
        store<u64>(xb + H_PC, pc);
        store<u64>(xb + H_INSTRET, ic);
        setRaw(rawBits(w, imm));
        const endSlice = execSystem(<u32>imm);
        npc = load<u64>(xb + H_PC);
        ic = load<u64>(xb + H_INSTRET);
        dpage = DC_EMPTY; // priv, satp or the TLB may have changed
        if (endSlice) limit = 0;
        break;
      }
      case OP_AMO:
        setRaw(<u32>imm);
        execAmo(<u32>imm);
        break;
      case OP_FP:
        store<u64>(xb + H_PC, pc);
        setRaw(rawBits(w, imm));
        execFp(<u32>imm, <u32>ilen);
        break;
      default: // OP_ILLEGAL
        raise(2, <u64><u32>imm);
        break;
    }
    if (fault != F_NONE) {
      if (fault == F_TRAP) {
        clearFault();
        pc = trapEnter(pc, fcause, ftval);
        dpage = DC_EMPTY;
        continue;
      }
      clearFault();
      store<i32>(xb + H_EXIT_ILEN, <i32>ilen);
      if (exitAdvance) { pc = npc; ic++; }
      store<u64>(xb + H_PC, pc);
      store<u64>(xb + H_INSTRET, ic);
      store<u64>(xb, 0);
      return load<i32>(xb + H_EXIT_KIND);
    }
    pc = npc;
    ic++;
  }
  store<u64>(xb, 0); // x0 may have been a destination
  store<u64>(xb + H_PC, pc);
  store<u64>(xb + H_INSTRET, ic);
  return 0;
}

/** mtval bits of an out-of-line slot: the 16-bit encoding for RVC. */
// @ts-ignore: decorator
@inline function rawBits(w: u32, imm: i32): u32 {
  return (w & 0x80) != 0 ? w >> 16 : <u32>imm;
}
