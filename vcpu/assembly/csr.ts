// CSR file: reads and writes with WARL masks. csrRead/csrWrite do the
// per-register semantics; access checks (privilege, read-only, FS, counter
// enables, TVM) live in csrAccess.
import {
  H_MSTATUS, H_MISA, H_MEDELEG, H_MIDELEG, H_MIE, H_MIP, H_MTVEC, H_MCOUNTEREN, H_MSCRATCH,
  H_MEPC, H_MCAUSE, H_MTVAL, H_STVEC, H_SCOUNTEREN, H_SSCRATCH, H_SEPC, H_SCAUSE, H_STVAL,
  H_SATP, H_MENVCFG, H_SENVCFG, H_MCOUNTINHIBIT, H_PMPCFG, H_PMPADDR, H_FCSR, H_INSTRET,
  H_CYCLE_DELTA, H_HART_ID, H_MINSTRET_DELTA, H_STIMECMP,
} from "./layout";
import {
  hb, rd64, wr64, getPriv, PRV_M, PRV_S, PRV_U, MS_FS, MS_SD, MS_TVM, MS_MPRV, MS_SUM, MS_MXR,
  MS_MPP, MS_UXL_SXL, IP_STIP,
} from "./state";
import { tlbFlush } from "./mmu";
import { readMip, hostMtime } from "./trap";
import { stimecmpWrite, menvcfgWrite, stimecmpAllowed, stceOn } from "./sstc";
import {
  tselectRead, tselectWrite, tdata1Read, tdata1Write, tdata2Read, tdata2Write, TINFO,
} from "./trigger";

export const MISA: u64 = (<u64>2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
const MSTATUS_WMASK: u64 = 0x7E79AA; // SIE MIE SPIE MPIE SPP MPP FS MPRV SUM MXR TVM TW TSR
const SSTATUS_MASK: u64 = 0xC6122 | MS_UXL_SXL; // SIE SPIE SPP FS SUM MXR (+UXL read-only)
const SSTATUS_WMASK: u64 = 0xC6122;
const MIE_MASK: u64 = 0xAAA;
const S_INT_MASK: u64 = 0x222;
const MEDELEG_MASK: u64 = 0xB3FF;

/** Set by csrRead/csrWrite when the CSR does not exist. */
export let csrBad: bool = false;
/** Set by csrWrite when the write may change pending interrupts or translation. */
export let csrDisturbs: bool = false;

function mstatusRead(): u64 {
  const ms = rd64(H_MSTATUS) | MS_UXL_SXL;
  return (ms & MS_FS) == MS_FS ? ms | MS_SD : ms;
}
function mstatusWrite(v: u64, mask: u64): void {
  const old = rd64(H_MSTATUS);
  let nv = (old & ~mask) | (v & mask);
  if (((nv >> 11) & 3) == 2) nv = (nv & ~MS_MPP) | (old & MS_MPP); // MPP=2 reserved: keep
  wr64(H_MSTATUS, nv);
  if (((old ^ nv) & (MS_MPRV | MS_SUM | MS_MXR | MS_MPP)) != 0) tlbFlush();
  csrDisturbs = true;
}

export function instretNow(): u64 { return rd64(H_INSTRET); }
/** minstret: the retired count plus what guest writes have moved it by. */
function minstret(): u64 { return instretNow() + rd64(H_MINSTRET_DELTA); }

/** Atomic update of the software-writable mip bits (low word of H_MIP), so
 *  a host thread may Atomics.or a bit (e.g. SSIP for an SBI IPI) at any time. */
function mipUpdate(mask: u64, v: u64): void {
  atomic.and<u32>(hb + H_MIP, ~<u32>(mask & ~v));
  atomic.or<u32>(hb + H_MIP, <u32>(v & mask));
}

/** The value CSRRS/CSRRC (and the immediate forms) modify. For mip and sip
 *  that is the software-writable bits only: a read ORs in hardware signals
 *  (PLIC SEIP, timers, host pins) that must not latch into the writable bits. */
export function csrRmwBase(csr: u32, read: u64): u64 {
  if (csr == 0x344) return rd64(H_MIP);
  if (csr == 0x144) return rd64(H_MIP) & rd64(H_MIDELEG);
  return read;
}

export function csrRead(csr: u32): u64 {
  csrBad = false;
  switch (csr) {
    case 0x001: return <u64>(load<u32>(hb + H_FCSR) & 31);
    case 0x002: return <u64>((load<u32>(hb + H_FCSR) >> 5) & 7);
    case 0x003: return <u64>(load<u32>(hb + H_FCSR) & 0xff);
    case 0xC00: case 0xB00: return instretNow() + rd64(H_CYCLE_DELTA);
    case 0xC01: return <u64>hostMtime();
    case 0xC02: case 0xB02: return minstret();
    case 0x100: return mstatusRead() & (SSTATUS_MASK | MS_SD);
    case 0x104: return rd64(H_MIE) & rd64(H_MIDELEG);
    case 0x105: return rd64(H_STVEC);
    case 0x106: return rd64(H_SCOUNTEREN);
    case 0x10A: return rd64(H_SENVCFG);
    case 0x140: return rd64(H_SSCRATCH);
    case 0x141: return rd64(H_SEPC);
    case 0x142: return rd64(H_SCAUSE);
    case 0x143: return rd64(H_STVAL);
    case 0x14D: return rd64(H_STIMECMP);
    case 0x144: return readMip(true) & rd64(H_MIDELEG);
    case 0x180: return rd64(H_SATP);
    case 0x300: return mstatusRead();
    case 0x301: return MISA;
    case 0x302: return rd64(H_MEDELEG);
    case 0x303: return rd64(H_MIDELEG);
    case 0x304: return rd64(H_MIE);
    case 0x305: return rd64(H_MTVEC);
    case 0x306: return rd64(H_MCOUNTEREN);
    case 0x30A: return rd64(H_MENVCFG);
    case 0x320: return rd64(H_MCOUNTINHIBIT);
    case 0x340: return rd64(H_MSCRATCH);
    case 0x341: return rd64(H_MEPC);
    case 0x342: return rd64(H_MCAUSE);
    case 0x343: return rd64(H_MTVAL);
    case 0x344: return readMip(true);
    case 0x3A0: return rd64(H_PMPCFG);
    case 0x3A2: return rd64(H_PMPCFG + 8);
    case 0x7A0: return tselectRead();
    case 0x7A1: return tdata1Read();
    case 0x7A2: return tdata2Read();
    case 0x7A3: return 0; // tdata3: QEMU 7.2 implements none of its fields
    case 0x7A4: return TINFO;
    case 0xF11: case 0xF12: case 0xF13: case 0xF15: return 0;
    case 0xF14: return <u64>load<u32>(hb + H_HART_ID);
  }
  if (csr >= 0x3B0 && csr <= 0x3BF) return rd64(H_PMPADDR + ((csr - 0x3B0) << 3));
  // hpm counters and events: present, hard-wired to zero
  if ((csr >= 0xC03 && csr <= 0xC1F) || (csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0x323 && csr <= 0x33F)) return 0;
  csrBad = true;
  return 0;
}

export function csrWrite(csr: u32, v: u64): void {
  csrBad = false;
  switch (csr) {
    case 0x001: setFcsr((load<u32>(hb + H_FCSR) & ~31) | (<u32>v & 31)); return;
    case 0x002: setFcsr((load<u32>(hb + H_FCSR) & 31) | ((<u32>v & 7) << 5)); return;
    case 0x003: setFcsr(<u32>v & 0xff); return;
    case 0xB00: wr64(H_CYCLE_DELTA, v - instretNow()); return;
    case 0xB02: wr64(H_MINSTRET_DELTA, v - instretNow()); return;
    case 0x100: mstatusWrite(v, SSTATUS_WMASK); return;
    case 0x104: { const m = rd64(H_MIDELEG); wr64(H_MIE, (rd64(H_MIE) & ~m) | (v & m & MIE_MASK)); csrDisturbs = true; return; }
    case 0x105: wr64(H_STVEC, v & ~(<u64>2)); return;
    case 0x106: wr64(H_SCOUNTEREN, v & 0xFFFF_FFFF); return;
    case 0x10A: wr64(H_SENVCFG, v & 1); return;
    case 0x140: wr64(H_SSCRATCH, v); return;
    case 0x141: wr64(H_SEPC, v & ~(<u64>1)); return;
    case 0x142: wr64(H_SCAUSE, v); return;
    case 0x143: wr64(H_STVAL, v); return;
    case 0x144: mipUpdate(rd64(H_MIDELEG) & 2, v); csrDisturbs = true; return; // only SSIP, and only when delegated
    case 0x14D: stimecmpWrite(v); csrDisturbs = true; return;
    case 0x180: {
      const mode = v >> 60;
      if (mode != 0 && mode != 8) return; // unsupported mode: write ignored
      wr64(H_SATP, v); // all 16 ASID bits are kept; the TLB ignores ASIDs and is flushed here
      tlbFlush(); csrDisturbs = true; return;
    }
    case 0x300: mstatusWrite(v, MSTATUS_WMASK); return;
    case 0x301: return; // misa is fixed
    case 0x302: wr64(H_MEDELEG, v & MEDELEG_MASK); return;
    case 0x303: wr64(H_MIDELEG, v & S_INT_MASK); csrDisturbs = true; return;
    case 0x304: wr64(H_MIE, v & MIE_MASK); csrDisturbs = true; return;
    case 0x305: wr64(H_MTVEC, v & ~(<u64>2)); return;
    case 0x306: wr64(H_MCOUNTEREN, v & 0xFFFF_FFFF); return;
    case 0x30A: menvcfgWrite(v); csrDisturbs = true; return;
    case 0x320: wr64(H_MCOUNTINHIBIT, v & 0xFFFF_FFFD); return;
    case 0x340: wr64(H_MSCRATCH, v); return;
    case 0x341: wr64(H_MEPC, v & ~(<u64>1)); return;
    case 0x342: wr64(H_MCAUSE, v); return;
    case 0x343: wr64(H_MTVAL, v); return;
    case 0x344: mipUpdate(stceOn() ? S_INT_MASK & ~IP_STIP : S_INT_MASK, v); csrDisturbs = true; return; // STIP is Sstc's while STCE = 1
    case 0x3A0: wr64(H_PMPCFG, v); return;
    case 0x3A2: wr64(H_PMPCFG + 8, v); return;
    case 0x7A0: tselectWrite(v); return;
    case 0x7A1: tdata1Write(v); return;
    case 0x7A2: tdata2Write(v); return;
    case 0x7A3: case 0x7A4: return; // tdata3, tinfo: writes ignored (QEMU 7.2)
  }
  if (csr >= 0x3B0 && csr <= 0x3BF) { wr64(H_PMPADDR + ((csr - 0x3B0) << 3), v & 0x003F_FFFF_FFFF_FFFF); return; }
  if ((csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0x323 && csr <= 0x33F)) return;
  csrBad = true;
}

function setFcsr(v: u32): void {
  store<u32>(hb + H_FCSR, v);
  markFsDirty();
}
export function markFsDirty(): void {
  wr64(H_MSTATUS, rd64(H_MSTATUS) | MS_FS);
}

/** Access check: privilege level bits, read-only space, FS for FP CSRs,
 *  counter enables, TVM for satp, TM and STCE for stimecmp. */
export function csrAllowed(csr: u32, write: bool): bool {
  const priv = getPriv();
  if (((csr >> 8) & 3) > priv) return false;
  if (write && (csr >> 10) == 3) return false;
  if (csr <= 3 && (rd64(H_MSTATUS) & MS_FS) == 0) return false;
  if (csr == 0x180 && priv == PRV_S && (rd64(H_MSTATUS) & MS_TVM) != 0) return false;
  if (csr == 0x14D && priv < PRV_M && !stimecmpAllowed()) return false;
  if (csr >= 0xC00 && csr <= 0xC1F && priv < PRV_M) {
    const bit = csr - 0xC00;
    if (((rd64(H_MCOUNTEREN) >> bit) & 1) == 0) return false;
    if (priv == PRV_U && ((rd64(H_SCOUNTEREN) >> bit) & 1) == 0) return false;
  }
  return true;
}

export function resetCsrFlags(): void { csrDisturbs = false; }
export { PRV_U };
