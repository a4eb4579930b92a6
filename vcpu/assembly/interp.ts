// The interpreter loop: the one function a binary translator would replace.
// It runs from the hart state's pc until instret reaches `limit`, an exit,
// or an instruction that needs the slice to end (CSR write, xRET, WFI...).
// Contract: reads/writes pc and instret in the hart state; traps are taken
// inline; returns 0 (slice done) or an EXIT_* kind recorded in the hart state.
import { H_PC, H_KICK, H_INSTRET, H_TLB_READ, H_TLB_WRITE, H_EXIT_KIND, H_EXIT_ILEN, CTABLE, ILLPAGE, LD_SIGNED, LD_UNSIGNED } from "./layout";
import { hb, fault, fcause, ftval, exitAdvance, clearFault, raise, setRaw, F_TRAP, F_NONE } from "./state";
import { NO_PAGE, PAGE_MASK, gFetchTag, gFetchAddend, fetchSlow, loadSlow, storeSlow } from "./mmu";
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

const ILLEGAL: u32 = 0xFFFF_FFFF; // opcode index 31: never a valid instruction
const NO_FETCH: u64 = 0x8000_0000_0000_0000;
const NO_FETCH_ADDEND: u64 = <u64>ILLPAGE - NO_FETCH;

export function interpret(limit: u64): i32 {
  const xb = hb;
  const tlbR = xb + H_TLB_READ;
  const tlbW = xb + H_TLB_WRITE;
  let pc = load<u64>(xb + H_PC);
  let ic = load<u64>(xb + H_INSTRET);
  // Empty fetch cache: a page base no real pc uses for fetching RAM, whose
  // "host" bytes are the all-ones ILLPAGE, which sends the fast path back here.
  let ftag: u64 = NO_FETCH;
  let fadd: u64 = NO_FETCH_ADDEND;
  while (ic < limit) {
    store<u64>(xb, 0); // x0
    let inst: u32;
    let raw: u32;
    let ilen: u64 = 4;
    if (pc - ftag <= 0xffc) { // ftag = page base of the cached fetch page (or NO_FETCH)
      inst = load<u32>(<u32>(pc + fadd));
      if (inst == ILLEGAL && ftag == NO_FETCH) { // cache was empty: fetch for real
        inst = fetchSlow(pc);
        ftag = gFetchTag;
        fadd = gFetchAddend;
        if (fault != F_NONE) inst = ILLEGAL;
      }
    } else {
      inst = fetchSlow(pc);
      ftag = gFetchTag;
      fadd = gFetchAddend;
      if (fault != F_NONE) inst = ILLEGAL;
    }
    raw = inst;
    if ((inst & 3) != 3) {
      raw = inst & 0xffff;
      ilen = 2;
      inst = load<u32>(CTABLE + (raw << 2));
      if (inst == 0) inst = ILLEGAL;
    }
    let npc = pc + ilen;
    const rdo = (inst >> 4) & 0xf8; // rd * 8
    const r1o = (inst >> 12) & 0xf8;
    const r2o = (inst >> 17) & 0xf8;
    switch ((inst >> 2) & 31) {
      case 0x00: { // LOAD
        const f3 = (inst >> 12) & 7;
        if (f3 == 7) { raise(2, <u64>raw); break; }
        const va = load<u64>(xb + r1o) + <u64>((<i32>inst) >> 20);
        const size: u32 = 1 << (f3 & 3);
        const e = tlbR + ((<u32>(va >> 12) & 255) << 4);
        let v: u64;
        if (load<u64>(e) == (va & PAGE_MASK) && (<u32>va & 0xfff) <= 4096 - size) {
          const h = <u32>(va + load<u64>(e, 8));
          switch (f3) {
            case 0: v = <u64><i64>load<i8>(h); break;
            case 1: v = <u64><i64>load<i16>(h); break;
            case 2: v = <u64><i64>load<i32>(h); break;
            case 3: v = load<u64>(h); break;
            case 4: v = <u64>load<u8>(h); break;
            case 5: v = <u64>load<u16>(h); break;
            default: v = <u64>load<u32>(h); break;
          }
        } else {
          v = loadSlow(va, size, rdo >> 3, f3 >= 4 ? LD_UNSIGNED : LD_SIGNED);
          if (fault != F_NONE) break;
          v = extendLoad(v, f3);
        }
        store<u64>(xb + rdo, v);
        break;
      }
      case 0x08: { // STORE
        const f3 = (inst >> 12) & 7;
        if (f3 > 3) { raise(2, <u64>raw); break; }
        const va = load<u64>(xb + r1o) + <u64>((<i32>(inst & 0xFE00_0000) >> 20) | ((inst >> 7) & 31));
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
        } else {
          storeSlow(va, size, v);
        }
        break;
      }
      case 0x04: { // OP-IMM
        const a = load<u64>(xb + r1o);
        const imm = <u64>((<i32>inst) >> 20);
        let v: u64;
        switch ((inst >> 12) & 7) {
          case 0: v = a + imm; break;
          case 1: if ((inst >> 26) != 0) { raise(2, <u64>raw); v = 0; break; } v = a << (imm & 63); break;
          case 2: v = <i64>a < <i64>imm ? 1 : 0; break;
          case 3: v = a < imm ? 1 : 0; break;
          case 4: v = a ^ imm; break;
          case 5: {
            const hi = inst >> 26;
            if (hi == 0) v = a >> (imm & 63);
            else if (hi == 0x10) v = <u64>(<i64>a >> <i64>(imm & 63));
            else { raise(2, <u64>raw); v = 0; }
            break;
          }
          case 6: v = a | imm; break;
          default: v = a & imm; break;
        }
        if (fault != F_NONE) break;
        store<u64>(xb + rdo, v);
        break;
      }
      case 0x0C: { // OP
        const a = load<u64>(xb + r1o);
        const b = load<u64>(xb + r2o);
        const f7 = inst >> 25;
        let k = (inst >> 12) & 7;
        if (f7 == 1) k |= 8;
        else if (f7 == 0x20) k |= 16;
        else if (f7 != 0) k = 99;
        let v: u64 = 0;
        switch (k) {
          case 0: v = a + b; break;
          case 1: v = a << (b & 63); break;
          case 2: v = <i64>a < <i64>b ? 1 : 0; break;
          case 3: v = a < b ? 1 : 0; break;
          case 4: v = a ^ b; break;
          case 5: v = a >> (b & 63); break;
          case 6: v = a | b; break;
          case 7: v = a & b; break;
          case 8: v = a * b; break;
          case 9: v = mulhu(a, b) - (<i64>a < 0 ? b : 0) - (<i64>b < 0 ? a : 0); break; // mulh
          case 10: v = mulhu(a, b) - (<i64>a < 0 ? b : 0); break; // mulhsu
          case 11: v = mulhu(a, b); break;
          case 12: // div
            if (b == 0) v = 0xFFFF_FFFF_FFFF_FFFF;
            else if (a == 0x8000_0000_0000_0000 && b == 0xFFFF_FFFF_FFFF_FFFF) v = a;
            else v = <u64>(<i64>a / <i64>b);
            break;
          case 13: v = b == 0 ? 0xFFFF_FFFF_FFFF_FFFF : a / b; break; // divu
          case 14: // rem
            if (b == 0) v = a;
            else if (b == 0xFFFF_FFFF_FFFF_FFFF) v = 0;
            else v = <u64>(<i64>a % <i64>b);
            break;
          case 15: v = b == 0 ? a : a % b; break; // remu
          case 16: v = a - b; break;
          case 21: v = <u64>(<i64>a >> <i64>(b & 63)); break;
          default: raise(2, <u64>raw); break;
        }
        if (fault != F_NONE) break;
        store<u64>(xb + rdo, v);
        break;
      }
      case 0x0D: // LUI
        store<u64>(xb + rdo, <u64><i64><i32>(inst & 0xFFFF_F000));
        break;
      case 0x05: // AUIPC
        store<u64>(xb + rdo, pc + <u64><i64><i32>(inst & 0xFFFF_F000));
        break;
      case 0x1B: { // JAL
        const imm = (<i32>(inst & 0x8000_0000) >> 11) | (inst & 0xFF000) | ((inst >> 9) & 0x800) | ((inst >> 20) & 0x7FE);
        store<u64>(xb + rdo, npc);
        npc = pc + <u64><i64>imm;
        break;
      }
      case 0x19: { // JALR
        if (((inst >> 12) & 7) != 0) { raise(2, <u64>raw); break; }
        const t = (load<u64>(xb + r1o) + <u64>((<i32>inst) >> 20)) & ~(<u64>1);
        store<u64>(xb + rdo, npc);
        npc = t;
        break;
      }
      case 0x18: { // BRANCH
        const a = load<u64>(xb + r1o);
        const b = load<u64>(xb + r2o);
        let taken: bool;
        switch ((inst >> 12) & 7) {
          case 0: taken = a == b; break;
          case 1: taken = a != b; break;
          case 4: taken = <i64>a < <i64>b; break;
          case 5: taken = <i64>a >= <i64>b; break;
          case 6: taken = a < b; break;
          case 7: taken = a >= b; break;
          default: raise(2, <u64>raw); taken = false; break;
        }
        if (taken) {
          const imm = (<i32>(inst & 0x8000_0000) >> 19) | ((inst << 4) & 0x800) | ((inst >> 20) & 0x7E0) | ((inst >> 7) & 0x1E);
          npc = pc + <u64><i64>imm;
        }
        break;
      }
      case 0x06: { // OP-IMM-32
        const a = <u32>load<u64>(xb + r1o);
        const f3 = (inst >> 12) & 7;
        const sh = (inst >> 20) & 31;
        const f7 = inst >> 25;
        let v: i32 = 0;
        if (f3 == 0) v = <i32>a + ((<i32>inst) >> 20);
        else if (f3 == 1 && f7 == 0) v = <i32>(a << sh);
        else if (f3 == 5 && f7 == 0) v = <i32>(a >> sh);
        else if (f3 == 5 && f7 == 0x20) v = (<i32>a) >> sh;
        else { raise(2, <u64>raw); break; }
        store<u64>(xb + rdo, <u64><i64>v);
        break;
      }
      case 0x0E: { // OP-32
        const a = <u32>load<u64>(xb + r1o);
        const b = <u32>load<u64>(xb + r2o);
        const f7 = inst >> 25;
        const f3 = (inst >> 12) & 7;
        let v: i32 = 0;
        if (f7 == 0) {
          if (f3 == 0) v = <i32>(a + b);
          else if (f3 == 1) v = <i32>(a << (b & 31));
          else if (f3 == 5) v = <i32>(a >> (b & 31));
          else { raise(2, <u64>raw); break; }
        } else if (f7 == 0x20) {
          if (f3 == 0) v = <i32>(a - b);
          else if (f3 == 5) v = (<i32>a) >> (b & 31);
          else { raise(2, <u64>raw); break; }
        } else if (f7 == 1) {
          switch (f3) {
            case 0: v = <i32>(a * b); break;
            case 4: v = b == 0 ? -1 : (a == 0x8000_0000 && b == 0xFFFF_FFFF) ? <i32>a : (<i32>a) / (<i32>b); break;
            case 5: v = b == 0 ? -1 : <i32>(a / b); break;
            case 6: v = b == 0 ? <i32>a : b == 0xFFFF_FFFF ? 0 : (<i32>a) % (<i32>b); break;
            case 7: v = b == 0 ? <i32>a : <i32>(a % b); break;
            default: raise(2, <u64>raw); break;
          }
          if (fault != F_NONE) break;
        } else { raise(2, <u64>raw); break; }
        store<u64>(xb + rdo, <u64><i64>v);
        break;
      }
      case 0x03: { // MISC-MEM
        const f3 = (inst >> 12) & 7;
        if (f3 == 0) atomic.or<i32>(xb + H_KICK, 0); // seq-cst RMW = full fence (binaryen rejects atomic.fence here)
        else if (f3 != 1) raise(2, <u64>raw); // fence.i: nothing cached to drop
        break;
      }
      case 0x1C: { // SYSTEM
        store<u64>(xb + H_PC, pc);
        store<u64>(xb + H_INSTRET, ic);
        setRaw(raw);
        const endSlice = execSystem(inst);
        npc = load<u64>(xb + H_PC);
        ic = load<u64>(xb + H_INSTRET);
        ftag = NO_FETCH; fadd = NO_FETCH_ADDEND;
        if (endSlice) limit = 0;
        break;
      }
      case 0x0B: // AMO
        setRaw(raw);
        execAmo(inst);
        break;
      case 0x01: case 0x09: case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: { // F/D
        store<u64>(xb + H_PC, pc);
        setRaw(raw);
        execFp(inst, <u32>ilen);
        break;
      }
      default:
        if (fault == F_NONE) raise(2, ilen == 2 ? <u64>raw : <u64>inst);
        break;
    }
    if (fault != F_NONE) {
      if (fault == F_TRAP) {
        clearFault();
        pc = trapEnter(pc, fcause, ftval);
        ftag = NO_FETCH; fadd = NO_FETCH_ADDEND;
        continue;
      }
      clearFault();
      store<i32>(xb + H_EXIT_ILEN, <i32>ilen);
      if (exitAdvance) { pc = npc; ic++; }
      store<u64>(xb + H_PC, pc);
      store<u64>(xb + H_INSTRET, ic);
      return load<i32>(xb + H_EXIT_KIND);
    }
    pc = npc;
    ic++;
  }
  store<u64>(xb + H_PC, pc);
  store<u64>(xb + H_INSTRET, ic);
  return 0;
}
