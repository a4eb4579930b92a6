// The interpreter loop: the one function a binary translator would replace.
// It executes pre-decoded slots (decode.ts, dcache.ts) and runs from the hart state's pc until instret reaches `limit`, an exit,
// or an instruction that needs the slice to end (CSR write, xRET, WFI...).
// Contract: reads/writes pc and instret in the hart state; traps are taken
// inline; returns 0 (slice done) or an EXIT_* kind recorded in the hart state.
import { H_PC, H_KICK, H_INSTRET, H_JIT_CHAIN_PAGE, H_JIT_CHAIN_FBASE, H_TLB_READ, H_TLB_WRITE, H_EXIT_KIND, H_EXIT_ILEN, CTABLE, LD_SIGNED, LD_UNSIGNED, EXIT_SPIN } from "./layout";
import { hb, fault, fcause, ftval, exitAdvance, clearFault, raise, setRaw, exitWith, F_TRAP, F_NONE } from "./state";
import { PAGE_MASK, fetchSlow, loadSlow, storeSlow } from "./mmu";
import { codePage, gCodeHost, dcFlush, dcEmpty, dcRestoreEmpty, fillSlot, dcSliceEnd, dcAdopt, dcRefilledAt } from "./dcache";
import { OP_JIT, jitOn } from "./jit";
import { mulhu } from "./jit-calls";
import { sliceEnter } from "./slice";
import {
  decode, dWord, dImm, OP_DECODE, OP_STRADDLE, OP_REFILL, OP_FIRST, OP_NOP, OP_J, OP_JR, OP_SYSTEM, OP_AMO, OP_FP, OP_FENCE, OP_FENCE_I,
  OP_LB, OP_SB, OP_ADDI, OP_LI, OP_SLTI, OP_SLTIU, OP_XORI, OP_ORI, OP_ANDI, OP_SLLI, OP_SRLI, OP_SRAI,
  OP_ADDIW, OP_SLLIW, OP_SRLIW, OP_SRAIW, OP_LUI, OP_AUIPC, OP_JAL, OP_JALR, OP_BEQ, OP_ADD, OP_MUL, OP_SUB,
  OP_SRA, OP_ADDW, OP_SUBW, OP_SLLW, OP_SRLW, OP_SRAW, OP_MULW,
} from "./decode";
import { trapEnter } from "./trap";
import { execSystem } from "./system";
import { execAmo } from "./amo";
import { execFp } from "./fp";

/** Traps taken by interpret() so far. A trap retires nothing, so each one
 *  also uses up one step of the slice: a trap loop (say, a fetch fault at
 *  an unmapped mtvec) still returns to run() for stop, kick and epoch. */
export let trapsTaken: u64 = 0;
/** Instructions retired inside translated code (the rest ran here). */
export let jitRetired: u64 = 0;
/** Calls from here into translated code, and code-page refills here. */
export let jitEntries: u64 = 0;
export let refills: u64 = 0;

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

// Loop state: `s` is the slot of the next instruction; the cached fetch page
// maps slot `dpage` to guest pc `fbase`, so pc = fbase + (s - dpage) / 4 and
// sequential flow is just `s += stride`. A page's slots are followed by
// OP_REFILL slots, so running off its end refills. With no page cached,
// dpage = dcEmpty (all OP_REFILL) and fbase is the pc to fetch.

// @ts-ignore: decorator
@inline function stride(w: u32): u32 { return 16 - ((w >> 4) & 8); } // 4 * ilen
// @ts-ignore: decorator
@inline function rs1v(xb: u32, s: u32): u64 { return load<u64>(xb + <u32>load<u8>(s, 2)); }
// @ts-ignore: decorator
@inline function rs2v(xb: u32, s: u32): u64 { return load<u64>(xb + <u32>load<u8>(s, 3)); }

// Pause-loop exit (as VMX's PLE): Linux's spin loops (locks, csd waits)
// run PAUSE each pass. SPIN_PAUSES of them, each within SPIN_GAP
// instructions of the last, end the run with EXIT_SPIN, so the host can
// give the core to the hart being waited for: with more harts than host
// cores, a spinning hart otherwise burns the holder's time.
const PAUSE: i32 = 0x0100_000F;
const SPIN_PAUSES: u32 = 64;
const SPIN_GAP: u64 = 32;
let pauses: u32 = 0;
let lastPause: u64 = 0;
/** run() starts a new count. */
export function spinReset(): void { pauses = 0; }
function spinning(ic: u64): bool {
  pauses = ic - lastPause <= SPIN_GAP ? pauses + 1 : 1;
  lastPause = ic;
  if (pauses < SPIN_PAUSES) return false;
  pauses = 0;
  return true;
}

/** `end`: where run()'s budget ends; translated code may run past `limit`
 *  up to it while nothing needs run() (slice.ts). */
export function interpret(limit: u64, end: u64): i32 {
  const xb = hb;
  const tlbR = xb + H_TLB_READ;
  const tlbW = xb + H_TLB_WRITE;
  const empty = dcEmpty;
  let ic = load<u64>(xb + H_INSTRET);
  let fbase = load<u64>(xb + H_PC);
  let dpage: u32 = empty;
  let s: u32 = empty;
  let fhost: u32 = 0;
  let entered = false; // did this slice run translated code?
  let stepped = true; // the next refill is no control transfer: the slice starts, or it follows an instruction run from the borrowed slot
  while (true) {
    while (ic < limit) {
      const w = load<u32>(s);
      const op = w & 0x7f;
      if (op < OP_FIRST) { // steering slots: refill, decode, page-straddling instruction
        const pc = fbase + <u64>((s - dpage) >> 2);
        if (op == OP_REFILL) {
          refills++;
          dcRestoreEmpty();
          const page = codePage(pc);
          if (fault != F_NONE) break;
          dpage = page; fbase = pc & PAGE_MASK; fhost = gCodeHost;
          s = page + ((<u32>pc & 0xffe) << 2);
          if (jitOn && !stepped) dcRefilledAt(<u32>pc & 0xffe, load<u32>(s) & 0x7f);
          stepped = false;
          continue;
        }
        const off = <u32>pc & 0xffe;
        if (op == OP_DECODE) { fillSlot(s, fhost, off); continue; }
        // OP_STRADDLE: not cacheable (its second half lives on another page).
        // Decode into the empty page's last slot (offset 0xffe) and run it
        // from there: falling through or branching inside the page lands on
        // refill slots, which also put the borrowed slot back.
        const inst = fetchSlow(pc);
        if (fault != F_NONE) break;
        decode(inst, inst, false);
        dpage = empty; fbase = pc - 0xffe;
        s = empty + (0xffe << 2);
        stepped = true;
        store<u32>(s, dWord);
        store<i32>(s, dImm, 4);
        continue;
      }
      switch (op) {
        case OP_LB: case OP_LB + 1: case OP_LB + 2: case OP_LB + 3: case OP_LB + 4: case OP_LB + 5: case OP_LB + 6: {
          const va = rs1v(xb, s) + <u64><i64>load<i32>(s, 4);
          const f3 = op - OP_LB;
          const size: u32 = 1 << (f3 & 3);
          const e = tlbR + ((<u32>(va >> 12) & 255) << 4);
          const rdo = <u32>load<u8>(s, 1);
          let v: u64;
          if (load<u64>(e) == (va & PAGE_MASK) && (<u32>va & 0xfff) <= 4096 - size) {
            v = loadOp(<u32>(va + load<u64>(e, 8)), op);
          } else {
            v = loadSlow(va, size, rdo >> 3, f3 >= 4 ? LD_UNSIGNED : LD_SIGNED);
            if (fault != F_NONE) break;
            v = extendLoad(v, f3);
          }
          store<u64>(xb + rdo, v);
          store<u64>(xb, 0); // the one op that may target x0
          s += stride(w); ic++;
          continue;
        }
        case OP_SB: case OP_SB + 1: case OP_SB + 2: case OP_SB + 3: {
          const f3 = op - OP_SB;
          const va = rs1v(xb, s) + <u64><i64>load<i32>(s, 4);
          const size: u32 = 1 << f3;
          const v = rs2v(xb, s);
          const e = tlbW + ((<u32>(va >> 12) & 255) << 4);
          if (load<u64>(e) == (va & PAGE_MASK) && (<u32>va & 0xfff) <= 4096 - size) {
            const h = <u32>(va + load<u64>(e, 8));
            switch (f3) {
              case 0: store<u8>(h, <u8>v); break;
              case 1: store<u16>(h, <u16>v); break;
              case 2: store<u32>(h, <u32>v); break;
              default: store<u64>(h, v); break;
            }
            s += stride(w); ic++;
            continue;
          }
          storeSlow(va, size, v);
          break;
        }
        case OP_NOP: s += stride(w); ic++; continue;
        case OP_ADDI: setRd(xb, s, rs1v(xb, s) + imm64(s)); s += stride(w); ic++; continue;
        case OP_LI: setRd(xb, s, imm64(s)); s += stride(w); ic++; continue;
        case OP_SLTI: setRd(xb, s, <i64>rs1v(xb, s) < <i64>imm64(s) ? 1 : 0); s += stride(w); ic++; continue;
        case OP_SLTIU: setRd(xb, s, rs1v(xb, s) < imm64(s) ? 1 : 0); s += stride(w); ic++; continue;
        case OP_XORI: setRd(xb, s, rs1v(xb, s) ^ imm64(s)); s += stride(w); ic++; continue;
        case OP_ORI: setRd(xb, s, rs1v(xb, s) | imm64(s)); s += stride(w); ic++; continue;
        case OP_ANDI: setRd(xb, s, rs1v(xb, s) & imm64(s)); s += stride(w); ic++; continue;
        case OP_SLLI: setRd(xb, s, rs1v(xb, s) << imm64(s)); s += stride(w); ic++; continue;
        case OP_SRLI: setRd(xb, s, rs1v(xb, s) >> imm64(s)); s += stride(w); ic++; continue;
        case OP_SRAI: setRd(xb, s, <u64>(<i64>rs1v(xb, s) >> <i64>imm64(s))); s += stride(w); ic++; continue;
        case OP_ADDIW: setRd(xb, s, <u64><i64>(<i32>rs1v(xb, s) + load<i32>(s, 4))); s += stride(w); ic++; continue;
        case OP_SLLIW: setRd(xb, s, <u64><i64>(<i32>rs1v(xb, s) << load<i32>(s, 4))); s += stride(w); ic++; continue;
        case OP_SRLIW: setRd(xb, s, <u64><i64><i32>(<u32>rs1v(xb, s) >> load<u32>(s, 4))); s += stride(w); ic++; continue;
        case OP_SRAIW: setRd(xb, s, <u64><i64>(<i32>rs1v(xb, s) >> load<i32>(s, 4))); s += stride(w); ic++; continue;
        case OP_LUI: setRd(xb, s, imm64(s)); s += stride(w); ic++; continue;
        case OP_AUIPC: setRd(xb, s, fbase + <u64>((s - dpage) >> 2) + imm64(s)); s += stride(w); ic++; continue;
        case OP_JAL: case OP_J: {
          const off = <i32>((s - dpage) >> 2);
          if (op == OP_JAL) setRd(xb, s, fbase + <u64><i64>(off + <i32>(stride(w) >> 2)));
          const t = off + load<i32>(s, 4);
          if (<u32>t <= 0xffe) s = dpage + (<u32>t << 2);
          else { fbase += <u64><i64>t; s = dpage = empty; }
          ic++;
          continue;
        }
        case OP_JALR: case OP_JR: {
          const target = (rs1v(xb, s) + imm64(s)) & ~(<u64>1);
          if (op == OP_JALR) setRd(xb, s, fbase + <u64>(((s - dpage) >> 2) + (stride(w) >> 2)));
          const rel = target - fbase;
          if (rel <= 0xffe) s = dpage + (<u32>rel << 2);
          else { fbase = target; s = dpage = empty; }
          ic++;
          continue;
        }
        case OP_BEQ: case OP_BEQ + 1: case OP_BEQ + 4: case OP_BEQ + 5: case OP_BEQ + 6: case OP_BEQ + 7: {
          const a = rs1v(xb, s), b = rs2v(xb, s);
          let taken: bool;
          switch (op) {
            case OP_BEQ: taken = a == b; break;
            case OP_BEQ + 1: taken = a != b; break;
            case OP_BEQ + 4: taken = <i64>a < <i64>b; break;
            case OP_BEQ + 5: taken = <i64>a >= <i64>b; break;
            case OP_BEQ + 6: taken = a < b; break;
            default: taken = a >= b; break;
          }
          ic++;
          if (!taken) { s += stride(w); continue; }
          const t = <i32>((s - dpage) >> 2) + load<i32>(s, 4);
          if (<u32>t <= 0xffe) s = dpage + (<u32>t << 2);
          else { fbase += <u64><i64>t; s = dpage = empty; }
          continue;
        }
        case OP_ADD: case OP_ADD + 1: case OP_ADD + 2: case OP_ADD + 3: case OP_ADD + 4: case OP_ADD + 5:
        case OP_ADD + 6: case OP_ADD + 7: case OP_SUB: case OP_SRA:
        case OP_MUL: case OP_MUL + 1: case OP_MUL + 2: case OP_MUL + 3: case OP_MUL + 4: case OP_MUL + 5:
        case OP_MUL + 6: case OP_MUL + 7: {
          const a = rs1v(xb, s);
          const b = rs2v(xb, s);
          let v: u64;
          switch (op) {
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
          setRd(xb, s, v);
          s += stride(w); ic++;
          continue;
        }
        case OP_ADDW: case OP_SUBW: case OP_SLLW: case OP_SRLW: case OP_SRAW:
        case OP_MULW: case OP_MULW + 4: case OP_MULW + 5: case OP_MULW + 6: case OP_MULW + 7: {
          const a = <u32>rs1v(xb, s);
          const b = <u32>rs2v(xb, s);
          let v: i32;
          switch (op) {
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
          setRd(xb, s, <u64><i64>v);
          s += stride(w); ic++;
          continue;
        }
        case OP_JIT: { // entry point of the page's translation (src/jit/)
          const off = (s - dpage) >> 2;
          const ic0 = ic;
          entered = true;
          jitEntries++;
          sliceEnter(limit, end);
          store<u32>(xb + H_JIT_CHAIN_PAGE, 0);
          const rel = call_indirect<i64>(load<u32>(s, 4), off, fbase, ic, limit);
          ic = load<u64>(xb + H_INSTRET);
          jitRetired += ic - ic0;
          const chained = load<u32>(xb + H_JIT_CHAIN_PAGE); // it went on in another page (page-chain.ts): rel is in that one
          if (chained != 0) { dpage = chained; fbase = load<u64>(xb + H_JIT_CHAIN_FBASE); fhost = dcAdopt(chained); }
          if (fault != F_NONE) { s = dpage + (<u32>rel << 2); break; } // at the faulting instruction
          if (<u64>rel > 0xffe) { fbase += <u64>rel; s = dpage = empty; continue; } // left the page
          if (ic == ic0 && <u32>rel == off) {
            // No room for its first block in this slice: run the marked
            // instruction once from the empty page's borrowed slot, as for
            // a straddling one; the next instruction refills.
            s = empty + (0xffe << 2);
            fillSlot(s, fhost, off);
            fbase = fbase + <u64>off - 0xffe;
            dpage = empty;
            stepped = true;
            continue;
          }
          s = dpage + (<u32>rel << 2);
          continue;
        }
        case OP_FENCE:
          atomic.or<i32>(xb + H_KICK, 0); // seq-cst RMW = full fence (binaryen rejects atomic.fence here)
          if (load<i32>(s, 4) == PAUSE && spinning(ic)) exitWith(EXIT_SPIN, true);
          break;
        case OP_FENCE_I: {
          dcFlush();
          const pc = fbase + <u64>((s - dpage) >> 2);
          fbase = pc; dpage = s = empty; // sequential advance below lands on a refill slot at pc + 4
          break;
        }
        case OP_SYSTEM: {
          const pc = fbase + <u64>((s - dpage) >> 2);
          store<u64>(xb + H_PC, pc);
          store<u64>(xb + H_INSTRET, ic);
          setRaw(rawBits(w, load<i32>(s, 4)));
          const endSlice = execSystem(load<u32>(s, 4));
          if (fault != F_NONE) break;
          // priv, satp or the TLB may have changed: refetch from the new pc
          fbase = load<u64>(xb + H_PC);
          ic = load<u64>(xb + H_INSTRET) + 1;
          dpage = s = empty;
          if (endSlice) limit = 0;
          continue;
        }
        case OP_AMO:
          setRaw(load<u32>(s, 4));
          execAmo(load<u32>(s, 4));
          break;
        case OP_FP:
          store<u64>(xb + H_PC, fbase + <u64>((s - dpage) >> 2));
          setRaw(rawBits(w, load<i32>(s, 4)));
          execFp(load<u32>(s, 4), stride(w) >> 2);
          break;
        default: // OP_ILLEGAL
          raise(2, <u64>load<u32>(s, 4));
          break;
      }
      if (fault != F_NONE) break;
      s += stride(w);
      ic++;
    }
    if (fault == F_NONE) break; // slice done
    // A trap or an exit at the instruction in slot `s`.
    const w = load<u32>(s);
    const pc = fbase + <u64>((s - dpage) >> 2);
    if (fault == F_TRAP) {
      clearFault();
      trapsTaken++;
      if (limit > ic) limit--;
      if (end > ic) end--;
      fbase = trapEnter(pc, fcause, ftval);
      dpage = s = empty;
      continue;
    }
    clearFault();
    const ilen = stride(w) >> 2;
    store<i32>(xb + H_EXIT_ILEN, <i32>ilen);
    store<u64>(xb + H_PC, exitAdvance ? pc + <u64>ilen : pc);
    store<u64>(xb + H_INSTRET, exitAdvance ? ic + 1 : ic);
    return load<i32>(xb + H_EXIT_KIND);
  }
  store<u64>(xb + H_PC, fbase + <u64>((s - dpage) >> 2));
  store<u64>(xb + H_INSTRET, ic);
  if (dpage != empty) dcSliceEnd(dpage, (s - dpage) >> 2, entered);
  return 0;
}

// @ts-ignore: decorator
@inline function imm64(s: u32): u64 { return <u64><i64>load<i32>(s, 4); }
// @ts-ignore: decorator
@inline function setRd(xb: u32, s: u32, v: u64): void { store<u64>(xb + <u32>load<u8>(s, 1), v); }

/** mtval bits of an out-of-line slot: the 16-bit encoding for RVC. */
// @ts-ignore: decorator
@inline function rawBits(w: u32, imm: i32): u32 {
  return (w & 0x80) != 0 ? w >> 16 : <u32>imm;
}
