// Address translation: software TLB, Sv39 walk, GPA page table (the EPT),
// and the slow paths for loads, stores and fetches. Only RAM ever enters
// the TLB; MMIO and missing rights come back as exits.
import {
  GPA_TABLE, FRAMES, RAM_BASE, PTE_R, PTE_W, PTE_LAZY, H_TLB_READ, H_TLB_WRITE, H_TLB_CODE,
  H_SATP, H_EXIT_GPA, H_EXIT_ACCESS, H_EXIT_SIZE, H_EXIT_WRITE, H_EXIT_VALUE, H_EXIT_RD,
  H_EXIT_LDKIND, H_EXIT_PENDING, H_EXIT_VA, EXIT_PAGE, EXIT_MMIO, ACC_READ, ACC_WRITE, ACC_FETCH,
} from "./layout";
import {
  hb, ramEnd, fault, raise, exitWith, getPriv, getMstatus, PRV_M, PRV_S, PRV_U,
  MS_MPRV, MS_MPP_SHIFT, MS_SUM, MS_MXR, F_NONE,
} from "./state";
import { isCodePage, codeWritten } from "./dcache";

export const NO_PAGE: u64 = 0xFFFF_FFFF_FFFF_FFFF;
export const PAGE_MASK: u64 = ~(<u64>0xfff);
/** xlate() results that are not host addresses. */
export const X_FAULT: i64 = -1;
export const X_MMIO: i64 = -2;

export let mmioGpa: u64 = 0;
export let gFetchTag: u64 = NO_PAGE;
export let gFetchAddend: u64 = 0;

/** Whole-TLB flushes so far (a counter for the host's statistics). */
export let tlbFlushes: u64 = 0;

export function tlbFlush(): void {
  tlbFlushes++;
  const base = hb + H_TLB_READ;
  for (let i: u32 = 0; i < 3 * 256; i++) store<u64>(base + (i << 4), NO_PAGE);
}

@inline function tlbSlot(arr: u32, va: u64): u32 {
  return hb + arr + ((<u32>(va >> 12) & 255) << 4);
}

function pageExit(gpa: u64, acc: i32): void {
  store<u64>(hb + H_EXIT_GPA, gpa);
  store<i32>(hb + H_EXIT_ACCESS, acc);
  exitWith(EXIT_PAGE, false);
}

/** Host address of a RAM gpa if this node holds the right for `acc`;
 *  X_MMIO when gpa is not RAM; X_FAULT after recording a page exit. */
export function gpaToHost(gpa: u64, acc: i32): i64 {
  if (gpa < RAM_BASE || gpa >= ramEnd) return X_MMIO;
  const g = <u32>((gpa - RAM_BASE) >> 12);
  const e = atomic.load<u32>(GPA_TABLE + (g << 2));
  const need = acc == ACC_WRITE ? PTE_W : PTE_R;
  const frame1 = e >>> 4;
  if ((e & need) == 0 || (e & PTE_LAZY) != 0 || frame1 == 0) {
    pageExit(gpa, acc);
    return X_FAULT;
  }
  return <i64>FRAMES + ((<i64>(frame1 - 1)) << 12) + <i64>(gpa & 0xfff);
}

@inline function pageFaultCause(acc: i32): u64 {
  return acc == ACC_FETCH ? 12 : acc == ACC_READ ? 13 : 15;
}
@inline function accessFaultCause(acc: i32): u64 {
  return acc == ACC_FETCH ? 1 : acc == ACC_READ ? 5 : 7;
}

const PTE_V: u64 = 1, PTE_RR: u64 = 2, PTE_WW: u64 = 4, PTE_X: u64 = 8, PTE_U: u64 = 16;
const PTE_A: u64 = 64, PTE_D: u64 = 128;

/** Guest virtual -> guest physical, or sets `fault` (trap or page exit). */
export function translate(va: u64, acc: i32): u64 {
  let p = getPriv();
  const ms = getMstatus();
  if (acc != ACC_FETCH && (ms & MS_MPRV) != 0 && p == PRV_M) p = <u32>((ms >> MS_MPP_SHIFT) & 3);
  const satp = load<u64>(hb + H_SATP);
  if (p == PRV_M || (satp >> 60) == 0) return va;
  // Sv39: bits 63..39 must equal bit 38
  if ((<u64>((<i64>va << 25) >> 25)) != va) { raise(pageFaultCause(acc), va); return 0; }
  while (true) {
    let a: u64 = (satp & 0xFFF_FFFF_FFFF) << 12;
    let level: i32 = 2;
    let pte: u64 = 0;
    let host: i64 = 0;
    while (true) {
      const pteGpa = a + (((va >> (12 + 9 * <u64>level)) & 511) << 3);
      host = gpaToHost(pteGpa, ACC_READ);
      if (host == X_MMIO) { raise(accessFaultCause(acc), va); return 0; }
      if (host == X_FAULT) return 0;
      pte = atomic.load<u64>(<u32>host);
      if ((pte & PTE_V) == 0 || ((pte & PTE_RR) == 0 && (pte & PTE_WW) != 0) || (pte >> 54) != 0) {
        raise(pageFaultCause(acc), va); return 0;
      }
      if ((pte & (PTE_RR | PTE_X)) != 0) break;
      level--;
      if (level < 0) { raise(pageFaultCause(acc), va); return 0; }
      a = ((pte >> 10) & 0xFFF_FFFF_FFFF) << 12;
    }
    // leaf: permissions
    if (p == PRV_U) {
      if ((pte & PTE_U) == 0) { raise(pageFaultCause(acc), va); return 0; }
    } else if ((pte & PTE_U) != 0) {
      if (acc == ACC_FETCH || (ms & MS_SUM) == 0) { raise(pageFaultCause(acc), va); return 0; }
    }
    let ok: bool;
    if (acc == ACC_FETCH) ok = (pte & PTE_X) != 0;
    else if (acc == ACC_READ) ok = (pte & PTE_RR) != 0 || ((ms & MS_MXR) != 0 && (pte & PTE_X) != 0);
    else ok = (pte & PTE_WW) != 0;
    if (!ok) { raise(pageFaultCause(acc), va); return 0; }
    const ppn = (pte >> 10) & 0xFFF_FFFF_FFFF;
    const lowMask: u64 = (<u64>1 << (9 * <u64>level)) - 1;
    if ((ppn & lowMask) != 0) { raise(pageFaultCause(acc), va); return 0; } // misaligned superpage
    // hardware A/D update, atomically, needs the write right on the PTE page
    const want = pte | PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
    if (want != pte) {
      const pteGpa = a + (((va >> (12 + 9 * <u64>level)) & 511) << 3);
      const wh = gpaToHost(pteGpa, ACC_WRITE);
      if (wh == X_FAULT) return 0;
      if (atomic.cmpxchg<u64>(<u32>wh, pte, want) != pte) continue; // raced: walk again
    }
    const offMask: u64 = (lowMask << 12) | 0xfff;
    return ((ppn << 12) & ~offMask) | (va & offMask);
  }
  return 0;
}

/** Translate and resolve to a host address, filling the TLB array for `acc`.
 *  Returns the host address, X_MMIO (gpa in mmioGpa) or X_FAULT. */
export function xlate(va: u64, acc: i32): i64 {
  const gpa = translate(va, acc);
  if (fault != F_NONE) return X_FAULT;
  const h = gpaToHost(gpa, acc);
  if (h == X_MMIO) { mmioGpa = gpa; return X_MMIO; }
  if (h == X_FAULT) return X_FAULT;
  // decoded code stays out of the write TLB: its stores must reach codeWritten
  if (acc == ACC_WRITE && isCodePage(<u32>h & ~0xfff)) return h;
  const arr = acc == ACC_FETCH ? H_TLB_CODE : acc == ACC_READ ? H_TLB_READ : H_TLB_WRITE;
  const slot = tlbSlot(arr, va);
  store<u64>(slot, va & PAGE_MASK);
  store<u64>(slot, (<u64>h & PAGE_MASK) - (va & PAGE_MASK), 8);
  return h;
}

/** TLB probe, then xlate on a miss. */
export function hostFor(va: u64, acc: i32): i64 {
  const arr = acc == ACC_FETCH ? H_TLB_CODE : acc == ACC_READ ? H_TLB_READ : H_TLB_WRITE;
  const slot = tlbSlot(arr, va);
  if (load<u64>(slot) == (va & PAGE_MASK)) return <i64>(<u32>(va + load<u64>(slot, 8)));
  return xlate(va, acc);
}

@inline function loadN(h: u32, size: u32): u64 {
  if (size == 1) return <u64>load<u8>(h);
  if (size == 2) return <u64>load<u16>(h);
  if (size == 4) return <u64>load<u32>(h);
  return load<u64>(h);
}
@inline function storeN(h: u32, size: u32, v: u64): void {
  if (size == 1) store<u8>(h, <u8>v);
  else if (size == 2) store<u16>(h, <u16>v);
  else if (size == 4) store<u32>(h, <u32>v);
  else store<u64>(h, v);
}

/** Load slow path: TLB miss, page-crossing (emulated bytewise) or MMIO
 *  (exit; the value lands in `rd` via completeMmio as `kind`). Returns the
 *  zero-extended value. */
export function loadSlow(va: u64, size: u32, rd: u32, kind: i32): u64 {
  const off = <u32>va & 0xfff;
  if (off + size > 4096) {
    const h1 = hostFor(va, ACC_READ);
    if (h1 == X_MMIO) { raise(5, va); return 0; }
    if (h1 < 0) return 0;
    const va2 = (va + size) & PAGE_MASK;
    const h2 = hostFor(va2, ACC_READ);
    if (h2 == X_MMIO) { raise(5, va2); return 0; }
    if (h2 < 0) return 0;
    const n1: u32 = 4096 - off;
    let v: u64 = 0;
    for (let i: u32 = 0; i < size; i++) {
      const b = i < n1 ? load<u8>(<u32>h1 + i) : load<u8>(<u32>h2 + i - n1);
      v |= (<u64>b) << (8 * <u64>i);
    }
    return v;
  }
  const h = xlate(va, ACC_READ);
  if (h == X_MMIO) {
    store<u64>(hb + H_EXIT_GPA, mmioGpa);
    store<i32>(hb + H_EXIT_SIZE, size);
    store<i32>(hb + H_EXIT_WRITE, 0);
    store<u64>(hb + H_EXIT_VALUE, 0);
    store<i32>(hb + H_EXIT_RD, rd);
    store<i32>(hb + H_EXIT_LDKIND, kind);
    store<i32>(hb + H_EXIT_PENDING, 1);
    store<u64>(hb + H_EXIT_VA, va);
    exitWith(EXIT_MMIO, false);
    return 0;
  }
  if (h < 0) return 0;
  return loadN(<u32>h, size);
}

/** Store slow path; a page-crossing store checks both pages before writing
 *  any byte, so a fault or exit leaves memory untouched. */
export function storeSlow(va: u64, size: u32, v: u64): void {
  const off = <u32>va & 0xfff;
  if (off + size > 4096) {
    const h1 = hostFor(va, ACC_WRITE);
    if (h1 == X_MMIO) { raise(7, va); return; }
    if (h1 < 0) return;
    const va2 = (va + size) & PAGE_MASK;
    const h2 = hostFor(va2, ACC_WRITE);
    if (h2 == X_MMIO) { raise(7, va2); return; }
    if (h2 < 0) return;
    const n1: u32 = 4096 - off;
    for (let i: u32 = 0; i < size; i++) {
      const b = <u8>(v >> (8 * <u64>i));
      if (i < n1) store<u8>(<u32>h1 + i, b); else store<u8>(<u32>h2 + i - n1, b);
    }
    codeWritten(<u32>h1, n1);
    codeWritten(<u32>h2, size - n1);
    return;
  }
  const h = xlate(va, ACC_WRITE);
  if (h == X_MMIO) {
    store<u64>(hb + H_EXIT_GPA, mmioGpa);
    store<i32>(hb + H_EXIT_SIZE, size);
    store<i32>(hb + H_EXIT_WRITE, 1);
    store<u64>(hb + H_EXIT_VALUE, size == 8 ? v : v & ((<u64>1 << (8 * <u64>size)) - 1));
    store<i32>(hb + H_EXIT_PENDING, 2);
    store<u64>(hb + H_EXIT_VA, va);
    exitWith(EXIT_MMIO, true);
    return;
  }
  if (h < 0) return;
  storeN(<u32>h, size, v);
  codeWritten(<u32>h, size);
}

/** Fetch slow path: returns the instruction bits (16 or 32) and primes the
 *  interpreter's fetch-page cache (gFetchTag/gFetchAddend). Handles a 32-bit
 *  instruction straddling two pages. */
export function fetchSlow(pc: u64): u32 {
  const h = hostFor(pc, ACC_FETCH);
  if (h == X_MMIO) { raise(1, pc); return 0; }
  if (h < 0) return 0;
  gFetchTag = pc & PAGE_MASK;
  gFetchAddend = <u64>h - pc;
  const lo = <u32>load<u16>(<u32>h);
  if ((lo & 3) != 3) return lo;
  if ((<u32>pc & 0xfff) != 0xffe) return load<u32>(<u32>h);
  const pc2 = pc + 2;
  const h2 = hostFor(pc2, ACC_FETCH);
  if (h2 == X_MMIO) { raise(1, pc2); return 0; }
  if (h2 < 0) return 0;
  return lo | ((<u32>load<u16>(<u32>h2)) << 16);
}

/** Load with TLB probe first (out-of-line users: FP). */
export function loadData(va: u64, size: u32, rd: u32, kind: i32): u64 {
  const slot = tlbSlot(H_TLB_READ, va);
  if (load<u64>(slot) == (va & PAGE_MASK) && (<u32>va & 0xfff) <= 4096 - size) {
    return loadN(<u32>(va + load<u64>(slot, 8)), size);
  }
  return loadSlow(va, size, rd, kind);
}
export function storeData(va: u64, size: u32, v: u64): void {
  const slot = tlbSlot(H_TLB_WRITE, va);
  if (load<u64>(slot) == (va & PAGE_MASK) && (<u32>va & 0xfff) <= 4096 - size) {
    storeN(<u32>(va + load<u64>(slot, 8)), size, v);
    return;
  }
  storeSlow(va, size, v);
}
