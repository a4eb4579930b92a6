// Trap entry (with medeleg/mideleg delegation), interrupt selection and the
// composed mip value (software bits | host-driven bits | MTIP from mtimecmp |
// STIP from stimecmp under Sstc).
import {
  H_PRIV, H_MSTATUS, H_MEDELEG, H_MIDELEG, H_MIE, H_MIP, H_MTVEC, H_MEPC, H_MCAUSE, H_MTVAL,
  H_STVEC, H_SEPC, H_SCAUSE, H_STVAL, H_HOST_IRQ, H_MTIMECMP, H_STIMECMP,
} from "./layout";
import {
  hb, rd64, wr64, getPriv, PRV_M, PRV_S, MS_SIE, MS_MIE, MS_SPIE, MS_MPIE, MS_SPP, MS_MPP,
  MS_MPP_SHIFT, IP_MTIP, IP_STIP,
} from "./state";
import { tlbFlush } from "./mmu";
import { stceOn, NEVER } from "./sstc";

// @ts-ignore: decorator
@external("env", "mtime")
export declare function hostMtime(): i64;

export function setPriv(p: u32): void {
  if (p != getPriv()) {
    store<u32>(hb + H_PRIV, p);
    tlbFlush();
  }
}

/** Take a trap at `pc`; returns the handler pc. */
export function trapEnter(pc: u64, cause: u64, tval: u64): u64 {
  const priv = getPriv();
  const isIrq = (cause >> 63) != 0;
  const code = cause & 63;
  const deleg = isIrq ? rd64(H_MIDELEG) : rd64(H_MEDELEG);
  let ms = rd64(H_MSTATUS);
  let vec: u64;
  if (priv <= PRV_S && ((deleg >> code) & 1) != 0) {
    wr64(H_SCAUSE, cause);
    wr64(H_SEPC, pc);
    wr64(H_STVAL, tval);
    ms = (ms & ~(MS_SPIE | MS_SIE | MS_SPP)) | ((ms & MS_SIE) != 0 ? MS_SPIE : 0) | (priv == PRV_S ? MS_SPP : 0);
    wr64(H_MSTATUS, ms);
    vec = rd64(H_STVEC);
    setPriv(PRV_S);
  } else {
    wr64(H_MCAUSE, cause);
    wr64(H_MEPC, pc);
    wr64(H_MTVAL, tval);
    ms = (ms & ~(MS_MPIE | MS_MIE | MS_MPP)) | ((ms & MS_MIE) != 0 ? MS_MPIE : 0) | ((<u64>priv) << MS_MPP_SHIFT);
    wr64(H_MSTATUS, ms);
    vec = rd64(H_MTVEC);
    setPriv(PRV_M);
  }
  const base = vec & ~(<u64>3);
  if ((vec & 1) != 0 && isIrq) return base + 4 * code;
  return base;
}

/** The timer signals: MTIP (mtime >= mtimecmp) and Sstc's STIP (mtime >=
 *  stimecmp while STCE = 1). Calls the host clock only when one is armed. */
export function timerPending(): u64 {
  const cmp = atomic.load<u64>(hb + H_MTIMECMP);
  const scmp = stceOn() ? rd64(H_STIMECMP) : NEVER;
  if ((cmp & scmp) == NEVER) return 0;
  const t = <u64>hostMtime();
  return (t >= cmp ? IP_MTIP : 0) | (t >= scmp ? IP_STIP : 0);
}

/** Current mip = software-writable bits | host-driven pins | timer signals.
 *  While menvcfg.STCE = 1 the software STIP bit is not part of it: STIP is
 *  Sstc's signal then. `withTimer` false skips the host clock when no
 *  timer interrupt can matter. */
export function readMip(withTimer: bool): u64 {
  let v = rd64(H_MIP);
  if (stceOn()) v &= ~IP_STIP;
  v |= <u64>(<u32>atomic.load<i32>(hb + H_HOST_IRQ));
  if (withTimer) v |= timerPending();
  return v;
}

// interrupt priority: MEI, MSI, MTI, SEI, SSI, STI
@inline function pick(bits: u64): i32 {
  if (bits & (1 << 11)) return 11;
  if (bits & (1 << 3)) return 3;
  if (bits & (1 << 7)) return 7;
  if (bits & (1 << 9)) return 9;
  if (bits & (1 << 1)) return 1;
  if (bits & (1 << 5)) return 5;
  return -1;
}

/** The interrupt to take now, or -1. */
export function pendingInterrupt(): i32 {
  const mie = rd64(H_MIE);
  if (mie == 0) return -1;
  const pend = readMip((mie & (IP_MTIP | IP_STIP)) != 0) & mie;
  if (pend == 0) return -1;
  const priv = getPriv();
  const ms = rd64(H_MSTATUS);
  const mideleg = rd64(H_MIDELEG);
  const mEnabled = priv < PRV_M || (ms & MS_MIE) != 0;
  const sEnabled = priv < PRV_S || (priv == PRV_S && (ms & MS_SIE) != 0);
  const m = pend & ~mideleg;
  if (mEnabled && m != 0) return pick(m);
  const s = pend & mideleg;
  if (sEnabled && s != 0) return pick(s);
  return -1;
}

export function mret(): u64 {
  let ms = rd64(H_MSTATUS);
  const mpp = <u32>((ms >> MS_MPP_SHIFT) & 3);
  ms = (ms & ~(MS_MIE | MS_MPP)) | ((ms & MS_MPIE) != 0 ? MS_MIE : 0) | MS_MPIE;
  if (mpp != PRV_M) ms &= ~(<u64>1 << 17); // MPRV
  wr64(H_MSTATUS, ms);
  setPriv(mpp);
  tlbFlush(); // MPRV may have changed
  return rd64(H_MEPC);
}

export function sret(): u64 {
  let ms = rd64(H_MSTATUS);
  const spp: u32 = (ms & MS_SPP) != 0 ? PRV_S : 0;
  ms = (ms & ~(MS_SIE | MS_SPP)) | ((ms & MS_SPIE) != 0 ? MS_SIE : 0) | MS_SPIE;
  ms &= ~(<u64>1 << 17);
  wr64(H_MSTATUS, ms);
  setPriv(spp);
  return rd64(H_SEPC);
}
