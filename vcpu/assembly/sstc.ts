// Sstc: the supervisor timer compare register. While menvcfg.STCE = 1,
// mip.STIP is the hardware signal mtime >= stimecmp (read-only in mip);
// with STCE = 0 it is the software-writable bit again and S-mode may not
// touch stimecmp. For the host, the compare that matters is published in
// one word, H_STIMER_DEADLINE (stimecmp while STCE = 1, else all ones),
// refreshed whenever stimecmp or menvcfg changes: a host sleeping on a WFI
// exit wakes by it.
import { H_MENVCFG, H_STIMECMP, H_STIMER_DEADLINE, H_MCOUNTEREN } from "./layout";
import { rd64, wr64, hb } from "./state";

export const ENVCFG_STCE: u64 = <u64>1 << 63;
const ENVCFG_FIOM: u64 = 1;
/** menvcfg bits this engine implements: FIOM, STCE (no Zicbo*, no Svpbmt). */
export const MENVCFG_WMASK: u64 = ENVCFG_FIOM | ENVCFG_STCE;
export const NEVER: u64 = 0xFFFF_FFFF_FFFF_FFFF;

@inline export function stceOn(): bool { return (rd64(H_MENVCFG) & ENVCFG_STCE) != 0; }

function refreshDeadline(): void {
  atomic.store<u64>(hb + H_STIMER_DEADLINE, stceOn() ? rd64(H_STIMECMP) : NEVER);
}

export function stimecmpWrite(v: u64): void {
  wr64(H_STIMECMP, v);
  refreshDeadline();
}

export function menvcfgWrite(v: u64): void {
  wr64(H_MENVCFG, v & MENVCFG_WMASK);
  refreshDeadline();
}

/** Power-on: no compare armed (the spec leaves stimecmp's reset value open). */
export function sstcReset(): void {
  wr64(H_STIMECMP, NEVER);
  refreshDeadline();
}

/** Below M, stimecmp needs both mcounteren.TM and menvcfg.STCE (QEMU 7.2). */
export function stimecmpAllowed(): bool {
  return stceOn() && (rd64(H_MCOUNTEREN) & 2) != 0;
}
