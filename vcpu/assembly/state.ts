// Per-instance engine state: which hart this instance drives, and how slow
// paths report a trap or an exit back to the interpreter loop.
import {
  HART_BASE, HART_STRIDE, H_PRIV, H_MSTATUS, H_EXIT_KIND, NODE_CTRL, NC_RAM_SIZE, RAM_BASE,
} from "./layout";

/** Base address of this hart's state region (set once by init). */
export let hb: u32 = HART_BASE;
/** One past the last RAM guest-physical address (refreshed on run entry). */
export let ramEnd: u64 = RAM_BASE;

export function setHart(id: u32): void {
  hb = HART_BASE + id * HART_STRIDE;
}
export function refreshRam(): void {
  ramEnd = RAM_BASE + load<u64>(NODE_CTRL + NC_RAM_SIZE);
}

// ---- fault signalling from slow paths ----
export const F_NONE: i32 = 0;
export const F_TRAP: i32 = 1;
export const F_EXIT: i32 = 2;
export let fault: i32 = F_NONE;
export let fcause: u64 = 0;
export let ftval: u64 = 0;
/** For an exit: did the instruction complete (pc advances, instret counts)? */
export let exitAdvance: bool = false;
/** Raw bits of the instruction being executed by an out-of-line helper. */
export let curRaw: u32 = 0;

export function setRaw(r: u32): void { curRaw = r; }
export function clearFault(): void { fault = F_NONE; }

export function raise(cause: u64, tval: u64): void {
  fault = F_TRAP;
  fcause = cause;
  ftval = tval;
}
export function raiseIllegal(): void {
  raise(2, <u64>curRaw);
}
export function exitWith(kind: i32, advance: bool): void {
  store<i32>(hb + H_EXIT_KIND, kind);
  fault = F_EXIT;
  exitAdvance = advance;
}

// ---- common field access ----
export const PRV_U: u32 = 0;
export const PRV_S: u32 = 1;
export const PRV_M: u32 = 3;

@inline export function getPriv(): u32 { return load<u32>(hb + H_PRIV); }
@inline export function getMstatus(): u64 { return load<u64>(hb + H_MSTATUS); }
@inline export function rd64(off: u32): u64 { return load<u64>(hb + off); }
@inline export function wr64(off: u32, v: u64): void { store<u64>(hb + off, v); }

// mstatus bits
export const MS_SIE: u64 = 1 << 1;
export const MS_MIE: u64 = 1 << 3;
export const MS_SPIE: u64 = 1 << 5;
export const MS_MPIE: u64 = 1 << 7;
export const MS_SPP: u64 = 1 << 8;
export const MS_MPP_SHIFT: u64 = 11;
export const MS_MPP: u64 = 3 << 11;
export const MS_FS: u64 = 3 << 13;
export const MS_MPRV: u64 = 1 << 17;
export const MS_SUM: u64 = 1 << 18;
export const MS_MXR: u64 = 1 << 19;
export const MS_TVM: u64 = 1 << 20;
export const MS_TW: u64 = 1 << 21;
export const MS_TSR: u64 = 1 << 22;
export const MS_UXL_SXL: u64 = (<u64>2 << 32) | (<u64>2 << 34);
export const MS_SD: u64 = <u64>1 << 63;

// mip / mie bits
export const IP_SSIP: u64 = 1 << 1;
export const IP_MSIP: u64 = 1 << 3;
export const IP_STIP: u64 = 1 << 5;
export const IP_MTIP: u64 = 1 << 7;
export const IP_SEIP: u64 = 1 << 9;
export const IP_MEIP: u64 = 1 << 11;
