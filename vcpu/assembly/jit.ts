// The translator's side of the core. Hot decode pages are compiled to wasm
// by the TypeScript translator (src/jit/); this file keeps the bookkeeping:
// - hotness: every slice that ends in a decode page heats it; at jitHot the
//   page is requested (run() returns the internal EXIT_JIT);
// - entry: the translator rewrites the slots of its entry points to OP_JIT
//   (word 1 = table index); the interpreter calls the function from there;
// - invalidation: a store into a translated page drops the translation and
//   every slot of the page (markers included) and bans the page;
// - slow paths that translated code calls (jitLoad/jitStore/jitMulh).
import {
  H_JIT_DIR, H_JIT_HEAT, H_JIT_BAN, H_JIT_REQ, H_JIT_REQ_OFF, H_JIT_FAULT, DC_PAGES, LD_SIGNED, LD_UNSIGNED,
} from "./layout";
import { hb, fault, setRaw, F_NONE } from "./state";
import { loadSlow, storeSlow } from "./mmu";
import { execFp } from "./fp";
import { execAmo } from "./amo";
import { H_PC } from "./layout";

export const OP_JIT: u32 = 80; // entry marker slot: word 0 = OP_JIT | RVC flag, word 1 = table index
/** Slices ending in a page before it is translated; 0 = translator off. */
let jitHot: u32 = 0;
export let jitOn: bool = false;
/** Set when a store dropped a translation (translated code must leave). */
export let jitDropped: bool = false;

export function jitEnable(hot: u32): void { jitHot = hot; jitOn = hot != 0; }

// @ts-ignore: decorator
@inline function word(area: u32, i: u32): u32 { return hb + area + (i << 2); }

/** Forget every translation (dcFlush: the decode pages are reused zeroed). */
export function jitForgetAll(): void {
  memory.fill(hb + H_JIT_DIR, 0, DC_PAGES << 2);
  memory.fill(hb + H_JIT_HEAT, 0, DC_PAGES << 2);
  store<i32>(hb + H_JIT_REQ, 0);
}

/** Decode page i now holds another host page. */
export function jitForget(i: u32): void {
  store<u32>(word(H_JIT_DIR, i), 0);
  store<u32>(word(H_JIT_HEAT, i), 0);
}

/** A slice ended in decode page i (host page hp); `entered`: it ran
 *  translated code. A translated page heats up again only with slices that
 *  never entered its translation (hot code it does not cover yet), and is
 *  then translated again from what has run since. */
export function jitHeat(i: u32, hp: u32, off: u32, entered: bool): void {
  if (!jitOn || (entered && load<u32>(word(H_JIT_DIR, i)) == hp)) return;
  const h = load<u32>(word(H_JIT_HEAT, i)) + 1;
  store<u32>(word(H_JIT_HEAT, i), h);
  if (h == jitHot && load<u32>(word(H_JIT_BAN, i)) != hp) {
    store<i32>(hb + H_JIT_REQ, <i32>i + 1);
    store<i32>(hb + H_JIT_REQ_OFF, off < 0x1000 ? <i32>off : -1); // past the end: a refill slot
  }
}

/** H_JIT_REQ_OFF flag: the request is for an entry point the translation
 *  lacks (not a page whose hot code escapes it, so no step towards a ban). */
export const JIT_REQ_MISSED: i32 = 0x10000;
/** A missed entry needs this many times jitHot refills: translating a page
 *  again costs as much as the first time (Linux's boot at 1x: 46 more
 *  translations and ~1 s more CPU in two noisy pairs). */
const MISSED_HOT: u32 = 16;

/** The interpreter refilled into translated decode page i (host page hp)
 *  at `off`, which is not an entry point of the translation: a call into a
 *  function whose entry was not the hot spot, say, so the page cannot be
 *  chained into there. Heat the page; at jitHot it is translated again with
 *  `off` as an entry (each such translation adds one, so this ends). */
export function jitMissedEntry(i: u32, hp: u32, off: u32): void {
  if (load<u32>(word(H_JIT_DIR, i)) != hp || load<u32>(word(H_JIT_BAN, i)) == hp) return;
  const h = load<u32>(word(H_JIT_HEAT, i)) + 1;
  store<u32>(word(H_JIT_HEAT, i), h);
  if (h >= jitHot * MISSED_HOT && load<i32>(hb + H_JIT_REQ) == 0) { // again until served: another page's request may take the slot
    store<i32>(hb + H_JIT_REQ, <i32>i + 1);
    store<i32>(hb + H_JIT_REQ_OFF, <i32>off | JIT_REQ_MISSED);
  }
}

/** A store hit decode page i (host page hp, slots at `page`). If it was
 *  translated, drop the translation and all its slots; returns true then. */
export function jitDrop(i: u32, hp: u32, page: u32, slotsBytes: u32): bool {
  if (load<u32>(word(H_JIT_DIR, i)) != hp) return false;
  memory.fill(page, 0, slotsBytes);
  jitForget(i);
  store<u32>(word(H_JIT_BAN, i), hp);
  jitDropped = true;
  return true;
}

// ---- slow paths for translated code (exported) ----

/** Load that missed the inline TLB check; H_JIT_FAULT = 1 if it trapped or exits. */
export function jitLoad(va: u64, f3: u32, rd: u32): u64 {
  const v = loadSlow(va, 1 << (f3 & 3), rd, f3 >= 4 ? LD_UNSIGNED : LD_SIGNED);
  store<i32>(hb + H_JIT_FAULT, fault != F_NONE ? 1 : 0);
  switch (f3) {
    case 0: return <u64><i64><i8>v;
    case 1: return <u64><i64><i16>v;
    case 2: return <u64><i64><i32>v;
    default: return v;
  }
}

/** Store that missed: 0 done, 1 trap or exit (not done, or an MMIO write),
 *  2 done but it dropped a translation (the caller must return). */
export function jitStore(va: u64, size: u32, v: u64): i32 {
  jitDropped = false;
  storeSlow(va, size, v);
  if (fault != F_NONE) return 1;
  return jitDropped ? 2 : 0;
}

/** An F/D instruction (`inst`, expanded; `raw`: its bits for mtval) at `pc`.
 *  The translated code keeps x registers in locals: it stores the ones the
 *  instruction may read or write before the call and reloads rd after.
 *  0 done, 1 trap or exit (not done, or an MMIO access), 2 done but it
 *  dropped a translation (the caller must return). */
export function jitFp(inst: u32, raw: u32, pc: u64, ilen: u32): i32 {
  jitDropped = false;
  store<u64>(hb + H_PC, pc);
  setRaw(raw);
  execFp(inst, ilen);
  if (fault != F_NONE) return 1;
  return jitDropped ? 2 : 0;
}

/** An AMO, LR or SC (`inst`) at `pc`, for translated code, which stores the
 *  x registers it reads or writes before the call and reloads rd after.
 *  0 done, 1 trap or exit (not done), 2 done but it dropped a translation. */
export function jitAmo(inst: u32, pc: u64): i32 {
  jitDropped = false;
  store<u64>(hb + H_PC, pc);
  setRaw(inst);
  execAmo(inst);
  if (fault != F_NONE) return 1;
  return jitDropped ? 2 : 0;
}

// @ts-ignore: decorator
@inline export function mulhu(a: u64, b: u64): u64 {
  const aL = a & 0xFFFF_FFFF, aH = a >> 32, bL = b & 0xFFFF_FFFF, bH = b >> 32;
  const p0 = aL * bL, p1 = aL * bH, p2 = aH * bL, p3 = aH * bH;
  const mid = (p0 >> 32) + (p1 & 0xFFFF_FFFF) + (p2 & 0xFFFF_FFFF);
  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

/** High 64 bits of a product: f3 1 mulh, 2 mulhsu, 3 mulhu. */
export function jitMulh(a: u64, b: u64, f3: u32): u64 {
  const hi = mulhu(a, b);
  if (f3 == 3) return hi;
  if (f3 == 2) return hi - (<i64>a < 0 ? b : 0);
  return hi - (<i64>a < 0 ? b : 0) - (<i64>b < 0 ? a : 0);
}
