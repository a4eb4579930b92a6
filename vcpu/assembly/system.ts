// SYSTEM opcode: ecall/ebreak, xRET, WFI, SFENCE.VMA and the Zicsr ops.
// Protocol with the interpreter: pc and instret are in the hart state on
// entry; the next pc is written to H_PC. Returns true when the slice must
// end (interrupt enables or translation may have changed).
import {
  H_PC, H_MSTATUS, H_MIE, NODE_CTRL, NC_FLAGS, NCF_SBI, EXIT_SBI, EXIT_WFI, H_MINSTRET_DELTA, H_CYCLE_DELTA,
} from "./layout";
import {
  hb, rd64, wr64, getPriv, raise, raiseIllegal, exitWith, fault, F_NONE, PRV_M, PRV_S, PRV_U,
  MS_TSR, MS_TW, MS_TVM,
} from "./state";
import { tlbFlush } from "./mmu";
import { mret, sret, readMip } from "./trap";
import { csrRead, csrWrite, csrAllowed, csrBad, csrDisturbs, resetCsrFlags, csrRmwBase } from "./csr";

export function execSystem(inst: u32): bool {
  const pc = rd64(H_PC);
  const f3 = (inst >> 12) & 7;
  const rd = (inst >> 7) & 31;
  const rs1 = (inst >> 15) & 31;
  const priv = getPriv();
  if (f3 == 0) {
    if (inst == 0x00000073) { // ecall
      if (priv == PRV_S && (load<u32>(NODE_CTRL + NC_FLAGS) & NCF_SBI) != 0) {
        exitWith(EXIT_SBI, false);
        return true;
      }
      raise(8 + <u64>priv, 0);
      return true;
    }
    if (inst == 0x00100073) { raise(3, pc); return true; } // ebreak
    if (inst == 0x30200073) { // mret
      if (priv != PRV_M) { raiseIllegal(); return true; }
      wr64(H_PC, mret());
      return true;
    }
    if (inst == 0x10200073) { // sret
      if (priv < PRV_S || (priv == PRV_S && (rd64(H_MSTATUS) & MS_TSR) != 0)) { raiseIllegal(); return true; }
      wr64(H_PC, sret());
      return true;
    }
    if (inst == 0x10500073) { // wfi
      if (priv == PRV_U || (priv == PRV_S && (rd64(H_MSTATUS) & MS_TW) != 0)) { raiseIllegal(); return true; }
      wr64(H_PC, pc + 4);
      if ((readMip(true) & rd64(H_MIE)) == 0) exitWith(EXIT_WFI, true);
      return true;
    }
    if ((inst >> 25) == 0x09 && rd == 0) { // sfence.vma
      if (priv == PRV_U || (priv == PRV_S && (rd64(H_MSTATUS) & MS_TVM) != 0)) { raiseIllegal(); return true; }
      tlbFlush();
      wr64(H_PC, pc + 4);
      return true;
    }
    raiseIllegal();
    return true;
  }
  if (f3 == 4) { raiseIllegal(); return true; }
  // Zicsr
  const csr = inst >> 20;
  const isSetClear = (f3 & 3) != 1;
  const doWrite = !(isSetClear && rs1 == 0);
  if (!csrAllowed(csr, doWrite)) { raiseIllegal(); return true; }
  const old = csrRead(csr);
  if (csrBad) { raiseIllegal(); return true; }
  const src: u64 = f3 >= 5 ? <u64>rs1 : load<u64>(hb + (rs1 << 3));
  resetCsrFlags();
  if (doWrite) {
    const op = f3 & 3;
    const base = op == 1 ? 0 : csrRmwBase(csr, old);
    const nv = op == 1 ? src : op == 2 ? base | src : base & ~src;
    csrWrite(csr, nv);
    if (csrBad) { raiseIllegal(); return true; }
    // An explicit write of minstret/mcycle replaces this instruction's own
    // increment: pre-subtract the +1 the interpreter adds when it retires.
    if (csr == 0xB02) wr64(H_MINSTRET_DELTA, rd64(H_MINSTRET_DELTA) - 1);
    else if (csr == 0xB00) wr64(H_CYCLE_DELTA, rd64(H_CYCLE_DELTA) - 1);
  }
  if (rd != 0) store<u64>(hb + (rd << 3), old);
  wr64(H_PC, pc + 4);
  return csrDisturbs;
}
