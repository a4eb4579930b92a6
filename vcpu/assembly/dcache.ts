// Decode cache: per hart, DC_PAGES host code pages of pre-decoded slots
// (decode.ts), one 8-byte slot per 2-byte offset, filled lazily. Keyed by
// host frame, so it survives satp/priv changes. It is kept exact the
// TinyEMU/QEMU way: a code frame never sits in the write TLB, so every store
// to it takes the slow path, which clears the slots it overlaps. Stores by
// other harts (or by the host's DSM, when a frame changes hands) are caught
// by content: each decode page keeps a snapshot of the bytes its slots were
// decoded from; fence.i and an epoch change only mark every page suspect,
// and a suspect page is compared with its snapshot the next time the loop
// enters it, and dropped (with its translation) only if it differs. Reset
// drops everything.
import {
  FRAMES, NODE_CTRL, NC_FRAME_COUNT, H_DC_DIR, DC_PAGES, DC_PAGE_BYTES, DC_STRIDE,
  H_TLB_WRITE, TLB_ENTRIES, ACC_FETCH, DC_SNAP_OFF, H_DC_SUSPECT,
} from "./layout";
import { hb, raise } from "./state";
import { hostFor, X_MMIO, NO_PAGE } from "./mmu";
import { CTABLE } from "./layout";
import { decode, dWord, dImm, OP_STRADDLE, OP_FP, OP_AMO, OP_NOP, OP_JR } from "./decode";
import { jitForget, jitForgetAll, jitDrop, jitHeat, jitMissedEntry } from "./jit";

/** Slot array base of this hart's first decode page. */
let dcBase: u32 = 0;
/** This hart's empty decode page: every slot says OP_REFILL. The interpreter
 *  points at it when no page is cached, and borrows its last slot to run an
 *  instruction that straddles a page end (see interp.ts). */
export let dcEmpty: u32 = 0;
const SLOTS_BYTES: u32 = 0x4000;
const REFILL_BYTE: u8 = 2; // OP_REFILL in every byte: any slot word reads as OP_REFILL
/** Host page address of the page codePage() last returned, and its snapshot. */
export let gCodeHost: u32 = 0;
let gCodePage: u32 = 0;
let gCodeIndex: u32 = 0;
let gCodeSnap: u32 = 0;

export function dcInit(id: u32): void {
  const frames = load<u32>(NODE_CTRL + NC_FRAME_COUNT);
  const end = <u64>FRAMES + (<u64>frames << 12);
  dcBase = <u32>((end + 0xffff) & ~(<u64>0xffff)) + id * DC_STRIDE;
  dcEmpty = dcBase + DC_PAGES * DC_PAGE_BYTES;
  memory.fill(dcEmpty, REFILL_BYTE, DC_PAGE_BYTES);
  for (let i: u32 = 0; i < DC_PAGES; i++) memory.fill(dcBase + i * DC_PAGE_BYTES + SLOTS_BYTES, REFILL_BYTE, DC_PAGE_BYTES - SLOTS_BYTES);
  dcDropAll();
}

/** Forget every decoded page (pages are zeroed when reused). */
/** fence.i and epoch changes so far (each makes every page suspect). */
export let dcFlushes: u64 = 0;
/** Suspect pages found changed and dropped. */
export let dcStale: u64 = 0;

/** Forget every decoded page (reset, host writes): pages are zeroed when reused. */
export function dcDropAll(): void {
  memory.fill(hb + H_DC_DIR, 0, DC_PAGES << 2);
  memory.fill(hb + H_DC_SUSPECT, 0, DC_PAGES);
  jitForgetAll();
}

/** fence.i or an epoch change: code may have been written by another hart
 *  or replaced by the DSM; check each page's bytes before its next use. */
export function dcFlush(): void {
  dcFlushes++;
  memory.fill(hb + H_DC_SUSPECT, 1, DC_PAGES);
}

@inline function snapshot(i: u32): u32 { return dcBase + DC_SNAP_OFF + (i << 12); }

/** Do the host page's bytes equal the snapshot of decode page i? */
function unchanged(i: u32, hp: u32): bool {
  const snap = snapshot(i);
  for (let o: u32 = 0; o < 4096; o += 8) {
    if (load<u64>(hp + o) != load<u64>(snap + o)) return false;
  }
  return true;
}

/** Decode the instruction at host page `fhost` + `off` into slot `s`
 *  (a 32-bit one at 0xffe straddles the page end: OP_STRADDLE). */
export function fillSlot(s: u32, fhost: u32, off: u32): void {
  const lo = <u32>load<u16>(fhost + off);
  if ((lo & 3) != 3) {
    decode(load<u32>(CTABLE + (lo << 2)), lo, true);
    if (s == gCodePage + (off << 2)) store<u16>(gCodeSnap + off, <u16>lo); // what this slot was decoded from
  } else if (off == 0xffe) { store<u64>(s, OP_STRADDLE); return; }
  else {
    const inst = load<u32>(fhost + off);
    decode(inst, inst, false);
    if (s == gCodePage + (off << 2)) store<u32>(gCodeSnap + off, inst);
  }
  store<u32>(s, dWord);
  store<i32>(s, dImm, 4);
}

// ---- for the translator (src/jit/) ----
/** Slot array of decode page i. */
export function jitPageAddr(i: u32): u32 { return dcBase + i * DC_PAGE_BYTES; }
/** Slot word 0 at byte offset `off` of decode page i, decoding it first if needed. */
export function jitDecodeAt(i: u32, off: u32): u32 {
  const hp = load<u32>(hb + H_DC_DIR + (i << 2));
  const s = dcBase + i * DC_PAGE_BYTES + (off << 2);
  if (hp == 0) return 0;
  if (load<u32>(s) == 0) {
    const page = gCodePage, snap = gCodeSnap;
    gCodePage = dcBase + i * DC_PAGE_BYTES; gCodeSnap = snapshot(i);
    fillSlot(s, hp, off);
    gCodePage = page; gCodeSnap = snap;
  }
  return load<u32>(s);
}
/** A slice ended with the loop in decode page `page`, at byte offset `off`. */
export function dcSliceEnd(page: u32, off: u32, entered: bool): void {
  const i = (page - dcBase) / DC_PAGE_BYTES;
  jitHeat(i, load<u32>(hb + H_DC_DIR + (i << 2)), off, entered);
}

/** The interpreter refilled into the page codePage() last returned at `off` by a control
 *  transfer, landing on a slot of kind `op`: if the page is translated and
 *  that is a translatable instruction but no entry point, jit.ts heats it. */
export function dcRefilledAt(off: u32, op: u32): void {
  if (op != OP_FP && op != OP_AMO && (op < OP_NOP || op > OP_JR)) return; // an entry already, undecoded, or not translatable
  jitMissedEntry(gCodeIndex, gCodeHost, off);
}

@inline function dirIndex(hostPage: u32): u32 {
  return ((hostPage - FRAMES) >> 12) & (DC_PAGES - 1);
}

/** Is this host page decoded code? (keeps it out of the write TLB) */
export function isCodePage(hostPage: u32): bool {
  return load<u32>(hb + H_DC_DIR + (dirIndex(hostPage) << 2)) == hostPage;
}

/** Put back the empty page's borrowed last slot. */
export function dcRestoreEmpty(): void {
  store<u64>(dcEmpty + SLOTS_BYTES - 8, 0x0202_0202_0202_0202);
}

/** Translated code chained into decode page `page` (src/jit/page-chain.ts
 *  made codePage's checks): make it the current code page, as codePage
 *  would; returns its host page. */
export function dcAdopt(page: u32): u32 {
  const i = (page - dcBase) / DC_PAGE_BYTES;
  gCodePage = page;
  gCodeIndex = i;
  gCodeSnap = snapshot(i);
  gCodeHost = load<u32>(hb + H_DC_DIR + (i << 2));
  return gCodeHost;
}

/** Decode page for the fetch page of `pc`, or 0 with `fault` set. */
export function codePage(pc: u64): u32 {
  const h = hostFor(pc, ACC_FETCH);
  if (h == X_MMIO) { raise(1, pc); return 0; }
  if (h < 0) return 0;
  const hp = <u32>h & ~0xfff;
  const i = dirIndex(hp);
  const page = dcBase + i * DC_PAGE_BYTES;
  gCodeHost = hp;
  gCodePage = page;
  gCodeIndex = i;
  gCodeSnap = snapshot(i);
  const dir = hb + H_DC_DIR + (i << 2);
  const suspect = hb + H_DC_SUSPECT + i;
  if (load<u32>(dir) != hp) {
    store<u32>(dir, hp);
    dropWriteEntries(hp);
  } else if (load<u8>(suspect) == 0 || unchanged(i, hp)) {
    store<u8>(suspect, 0);
    return page;
  } else {
    dcStale++;
  }
  store<u8>(suspect, 0);
  memory.fill(page, 0, SLOTS_BYTES); // the refill slots after them stay
  memory.copy(gCodeSnap, hp, 4096);
  jitForget(i);
  return page;
}

/** Remove write-TLB entries that point into host page `hp`. */
function dropWriteEntries(hp: u32): void {
  const base = hb + H_TLB_WRITE;
  for (let i: u32 = 0; i < TLB_ENTRIES; i++) {
    const e = base + (i << 4);
    const tag = load<u64>(e);
    if (tag != NO_PAGE && <u32>(tag + load<u64>(e, 8)) == hp) store<u64>(e, NO_PAGE);
  }
}

/** A store of `size` bytes landed at host address `h`: clear the slots of
 *  every instruction that may overlap it (one starting 2 bytes before, too). */
export function codeWritten(h: u32, size: u32): void {
  const hp = h & ~0xfff;
  const i = dirIndex(hp);
  if (load<u32>(hb + H_DC_DIR + (i << 2)) != hp) return;
  const off = h & 0xfff;
  const first = off >= 2 ? (off - 2) & ~1 : 0;
  const last = off + size; // exclusive
  const page = dcBase + i * DC_PAGE_BYTES;
  memory.copy(snapshot(i) + off, h, size); // the slots cleared below decode these bytes again
  if (jitDrop(i, hp, page, SLOTS_BYTES)) return; // translated: the whole page goes
  memory.fill(page + (first << 2), 0, (((last + 1) & ~1) - first) << 2);
}
