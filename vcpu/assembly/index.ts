// Engine entry points exported to the TypeScript wrapper (vcpu/src/vcpu.ts).
// One wasm instance drives one hart; all instances share the node memory.
import {
  H_X, H_F, H_PC, H_INSTRET, H_PRIV, H_FCSR, H_MSTATUS, H_MISA, H_IN_GUEST, H_ACK_EPOCH, H_KICK,
  H_STOP, H_HART_ID, H_MTIMECMP, H_RES_VALID, H_SEEN_EPOCH, H_EXIT_KIND, H_EXIT_PENDING,
  H_EXIT_RD, H_EXIT_LDKIND, H_EXIT_SIZE, H_EXIT_ILEN, NODE_CTRL, NC_EPOCH, EXIT_NONE, EXIT_HALT,
  EXIT_YIELD, EXIT_JIT, H_JIT_REQ, H_JIT_CHAINS, LD_SIGNED, LD_UNSIGNED, LD_F32, LD_F64, H_CYCLE_DELTA, H_EXIT_VA, H_EXIT_WRITE,
} from "./layout";
import { hb, setHart, refreshRam, rd64, wr64, getPriv, PRV_M } from "./state";
import { tlbFlush, tlbFlushes } from "./mmu";
import { trapEnter, pendingInterrupt } from "./trap";
import { csrRead, csrWrite, csrBad, MISA, markFsDirty } from "./csr";
import { buildCTable } from "./compressed";
import { dcInit, dcFlush, dcDropAll, dcFlushes, dcStale } from "./dcache";
import { interpret, spinReset, trapsTaken, jitRetired, jitEntries, refills } from "./interp";
import { sstcReset } from "./sstc";
import { triggerReset } from "./trigger";
import { jitOn } from "./jit";
import { SLICE } from "./slice";
export { jitEnable } from "./jit";
export { jitLoad, jitStore, jitMulh, jitFp, jitAmo } from "./jit-calls";
export { jitPageAddr, jitDecodeAt } from "./dcache";
export { jitSlice } from "./slice";


/** Bind this instance to hart `id` and build shared lookup tables. */
export function init(id: u32): void {
  setHart(id);
  buildCTable();
  dcInit(id);
}

/** Power-on state: M-mode at `pc`, a0/a1 as QEMU's -kernel boot. */
export function reset(pc: u64, a0: u64, a1: u64): void {
  // clear architectural state; host-owned words (0x400..0x420: inGuest,
  // ackEpoch, kick, hostIrq, stop, hartId, mtimecmp) are left alone
  memory.fill(hb, 0, H_IN_GUEST);
  memory.fill(hb + H_RES_VALID, 0, 0x1000 - H_RES_VALID);
  wr64(H_PC, pc);
  wr64(H_X + 10 * 8, a0);
  wr64(H_X + 11 * 8, a1);
  store<u32>(hb + H_PRIV, PRV_M);
  wr64(H_MISA, MISA);
  sstcReset();
  triggerReset();
  store<i32>(hb + H_SEEN_EPOCH, atomic.load<i32>(NODE_CTRL + NC_EPOCH));
  tlbFlush();
  dcDropAll();
}

export function setHartId(id: u32): void { store<u32>(hb + H_HART_ID, id); }
export { H_MTIMECMP };

/** The revocation handshake: adopt a new epoch by dropping every cached right. */
function checkEpoch(): void {
  const e = atomic.load<i32>(NODE_CTRL + NC_EPOCH);
  if (e != load<i32>(hb + H_SEEN_EPOCH)) {
    tlbFlush();
    dcFlush(); // a frame may now hold another page: check code pages before use
    store<i32>(hb + H_RES_VALID, 0);
    store<i32>(hb + H_SEEN_EPOCH, e);
    atomic.store<i32>(hb + H_ACK_EPOCH, e);
    atomic.notify(hb + H_ACK_EPOCH);
  }
}

/** Run up to `budget` steps (retired instructions plus traps taken, so a
 *  trap loop that retires nothing still ends); returns an EXIT_* kind. */
export function run(budget: u64): i32 {
  atomic.store<i32>(hb + H_IN_GUEST, 1);
  // first handshake read happens after inGuest=1 is visible
  const e = atomic.load<i32>(NODE_CTRL + NC_EPOCH);
  if (e != load<i32>(hb + H_SEEN_EPOCH)) {
    checkEpoch();
  } else {
    atomic.store<i32>(hb + H_ACK_EPOCH, e);
  }
  refreshRam();
  store<i32>(hb + H_EXIT_PENDING, 0); // an MMIO access not completed by now runs again
  spinReset();
  const start = rd64(H_INSTRET);
  const traps0 = trapsTaken;
  let result = EXIT_NONE;
  while (true) {
    checkEpoch();
    if (atomic.load<i32>(hb + H_STOP) != 0) { result = EXIT_HALT; break; }
    if (atomic.load<i32>(hb + H_KICK) != 0) { atomic.store<i32>(hb + H_KICK, 0); result = EXIT_YIELD; break; }
    const irq = pendingInterrupt();
    if (irq >= 0) wr64(H_PC, trapEnter(rd64(H_PC), (<u64>1 << 63) | <u64>irq, 0));
    const now = rd64(H_INSTRET);
    const done = (now - start) + (trapsTaken - traps0);
    if (done >= budget) { result = EXIT_YIELD; break; }
    const left = budget - done;
    const r = interpret(now + (left > SLICE ? SLICE : left), now + left);
    if (r != EXIT_NONE) { result = r; break; }
    if (jitOn && load<i32>(hb + H_JIT_REQ) != 0) { result = EXIT_JIT; break; } // Vcpu.run translates and resumes
  }
  store<i32>(hb + H_EXIT_KIND, result);
  atomic.store<i32>(hb + H_IN_GUEST, 0);
  atomic.notify(hb + H_ACK_EPOCH);
  return result;
}

/** Finish a pending MMIO read: write rd (extended per the load kind), advance pc. */
export function completeMmio(value: u64): void {
  const pending = load<i32>(hb + H_EXIT_PENDING);
  store<i32>(hb + H_EXIT_PENDING, 0);
  if (pending != 1) return; // nothing pending, or a write (already complete)
  const rd = load<u32>(hb + H_EXIT_RD);
  const size = load<u32>(hb + H_EXIT_SIZE);
  const kind = load<i32>(hb + H_EXIT_LDKIND);
  const bitsN = <u64>size * 8;
  let v = bitsN >= 64 ? value : value & ((<u64>1 << bitsN) - 1);
  if (kind == LD_SIGNED && bitsN < 64) v = <u64>((<i64>(v << (64 - bitsN))) >> <i64>(64 - bitsN));
  if (kind == LD_F32) { store<u64>(hb + H_F + (rd << 3), 0xFFFF_FFFF_0000_0000 | (v & 0xFFFF_FFFF)); markFsDirty(); }
  else if (kind == LD_F64) { store<u64>(hb + H_F + (rd << 3), v); markFsDirty(); }
  else if (rd != 0) store<u64>(hb + H_X + (rd << 3), v);
  wr64(H_PC, rd64(H_PC) + <u64>load<u32>(hb + H_EXIT_ILEN));
  wr64(H_INSTRET, rd64(H_INSTRET) + 1);
}

/** The last MMIO access hit no device: undo it and take an access fault
 *  (load 5, store 7; mtval = the virtual address) as QEMU virt does. */
export function failMmio(): void {
  const pending = load<i32>(hb + H_EXIT_PENDING);
  if (pending == 0) return;
  store<i32>(hb + H_EXIT_PENDING, 0);
  let pc = rd64(H_PC);
  if (pending == 2) { // the write had retired: step back over it
    pc -= <u64>load<u32>(hb + H_EXIT_ILEN);
    wr64(H_INSTRET, rd64(H_INSTRET) - 1);
  }
  wr64(H_PC, trapEnter(pc, pending == 2 ? 7 : 5, rd64(H_EXIT_VA)));
}

/** Finish an SBI call: a0 = error, a1 = value, pc past the ecall. */
export function completeSbi(err: u64, val: u64): void {
  wr64(H_X + 10 * 8, err);
  wr64(H_X + 11 * 8, val);
  wr64(H_PC, rd64(H_PC) + 4);
  wr64(H_INSTRET, rd64(H_INSTRET) + 1);
}

/** Host/debug CSR access without privilege checks; returns 0 for unknown CSRs. */
export function csrPeek(csr: u32): u64 { const v = csrRead(csr); return csrBad ? 0 : v; }
export function csrPoke(csr: u32, v: u64): void { csrWrite(csr, v); }
export function hartBase(): u32 { return hb; }
/** Drop every cached translation and decoded instruction (after host writes to code). */
export function flushTlb(): void { tlbFlush(); dcDropAll(); }

/** Engine counters for the host's statistics: 0 instructions retired in
 *  translated code, 1 traps taken, 2 TLB flushes, 3 decode-cache flushes
 *  (fence.i, epoch changes), 4 code pages those found changed and dropped,
 *  5 calls into translated code, 6 chains from one translated page to
 *  another (page-chain.ts), 7 code-page refills in the interpreter. */
export function engineCounter(i: u32): u64 {
  switch (i) {
    case 0: return jitRetired;
    case 1: return trapsTaken;
    case 2: return tlbFlushes;
    case 3: return dcFlushes;
    case 4: return dcStale;
    case 5: return jitEntries;
    case 6: return load<u64>(hb + H_JIT_CHAINS);
    default: return refills;
  }
}
