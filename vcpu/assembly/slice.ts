// Slices: run() checks the epoch, stop, kick and interrupts between slices
// of at most SLICE steps. Translated code runs on past a slice end when
// nothing needs run(): at its first block head at or past the end it calls
// jitSlice, which makes the same checks without acting on them (run() acts
// once the translated code has left). So a hot loop is not torn down and
// rebuilt every 1024 instructions, and the epoch handshake, kick, stop and
// interrupts are still seen within a slice plus one block.
import { NODE_CTRL, NC_EPOCH, H_SEEN_EPOCH, H_STOP, H_KICK, H_INSTRET } from "./layout";
import { hb } from "./state";
import { pendingInterrupt } from "./trap";

export const SLICE: u64 = 1024; // epoch/kick/interrupt check interval (instructions + traps)

/** Where the translated code called from interpret() checks next, and the end of run()'s budget. */
let sliceChk: u64 = 0;
let sliceEnd: u64 = 0;

// @ts-ignore: decorator
@inline export function sliceEnter(chk: u64, end: u64): void { sliceChk = chk; sliceEnd = end; }

/** Does run() have anything to do between slices (it acts on it itself)? */
export function sliceMustEnd(): bool {
  return atomic.load<i32>(NODE_CTRL + NC_EPOCH) != load<i32>(hb + H_SEEN_EPOCH)
    || atomic.load<i32>(hb + H_STOP) != 0
    || atomic.load<i32>(hb + H_KICK) != 0
    || pendingInterrupt() >= 0;
}

/** Translated code at a block head of `n` instructions, `ic` retired, found
 *  the block not to fit before its stop: returns the new stop, or -1 to
 *  leave at the block head (the budget ends inside the block, or run() has
 *  work). The clock of lockstep mode reads instret, so it is stored first. */
export function jitSlice(ic: u64, n: u64): i64 {
  if (<i64>(sliceEnd - ic) < <i64>n) return -1;
  if (ic >= sliceChk) {
    store<u64>(hb + H_INSTRET, ic);
    if (sliceMustEnd()) return -1;
    sliceChk = ic + SLICE;
  }
  return <i64>(sliceChk < sliceEnd ? sliceChk : sliceEnd);
}
