// The translator's side of the core. Hot decode pages are compiled to wasm
// by the TypeScript translator (src/jit/); this file keeps the bookkeeping:
// - hotness: every slice that ends in a decode page heats it; at jitHot the
//   page is requested (run() returns the internal EXIT_JIT);
// - entry: the translator rewrites the slots of its entry points to OP_JIT
//   (word 1 = table index); the interpreter calls the function from there;
// - invalidation: a store into a translated page drops the translation and
//   every slot of the page (markers included) and bans the page.
// The calls translated code makes into the core are in jit-calls.ts.
import {
  H_JIT_DIR, H_JIT_HEAT, H_JIT_BAN, H_JIT_REQ, H_JIT_REQ_OFF, DC_PAGES,
} from "./layout";
import { hb, getPriv, PRV_S } from "./state";

export const OP_JIT: u32 = 80; // entry marker slot: word 0 = OP_JIT | RVC flag, word 1 = table index
/** Slices ending in a page before it is translated; 0 = translator off. */
let jitHot: u32 = 0;
export let jitOn: bool = false;
/** Set when a store dropped a translation (translated code must leave). */
export let jitDropped: bool = false;

export function jitEnable(hot: u32): void { jitHot = hot; jitOn = hot != 0; }

/** S-mode pages wait this many times jitHot: a kernel runs most of its code
 *  few times (Linux's boot to poweroff, 4 harts, one node, 18 boots each,
 *  load 1.6-2.5: 1.69 s median at 1x, 1.52 s at 2x, 1.51 s at 4x, 1.49 s
 *  at 8x), while user and bare-metal (M-mode) compute loops want translation
 *  early (qsort's CPU ratio to QEMU 0.38 at 1x, 0.30 at 4x). */
const SUPERVISOR_HOT: u32 = 4;

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
  if (h == (getPriv() == PRV_S ? jitHot * SUPERVISOR_HOT : jitHot) && load<u32>(word(H_JIT_BAN, i)) != hp) {
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
/** Before a call from translated code that may store: jitDrop sets it again. */
export function jitClearDropped(): void { jitDropped = false; }

export function jitDrop(i: u32, hp: u32, page: u32, slotsBytes: u32): bool {
  if (load<u32>(word(H_JIT_DIR, i)) != hp) return false;
  memory.fill(page, 0, slotsBytes);
  jitForget(i);
  store<u32>(word(H_JIT_BAN, i), hp);
  jitDropped = true;
  return true;
}
