/**
 * Put a hart in the state a kernel expects from SBI firmware: S-mode at
 * `pc`, a0/a1 as given, satp = 0, sstatus.SIE = 0. With no M-mode firmware
 * under it the hypervisor also owns the M-mode CSRs, set as OpenSBI sets
 * them before it jumps to the kernel:
 * - medeleg: every exception S-mode can handle goes to S (misaligned,
 *   access and page faults, illegal instruction, breakpoint, U-mode ecall).
 *   An S-mode ecall never traps: the engine turns it into an `sbi` exit.
 * - mideleg: SSIP, STIP, SEIP.
 * - mcounteren: all counters readable below M (rdtime, rdcycle, rdinstret);
 *   scounteren: CY, TM, IR readable in U-mode (OpenSBI's 7: glibc's vDSO
 *   clock_gettime executes rdtime in user mode).
 * - menvcfg.STCE: the Sstc timer is on (stimecmp); SBI set_timer arms it too.
 */
import { layout } from '@unum/vcpu';

const { HART_BASE, HART_STRIDE, H_PRIV } = layout;

export const CSR_MEDELEG = 0x302;
export const CSR_MIDELEG = 0x303;
export const CSR_MCOUNTEREN = 0x306;
export const CSR_SCOUNTEREN = 0x106;
export const CSR_MENVCFG = 0x30a;
export const CSR_STIMECMP = 0x14d;
export const CSR_SATP = 0x180;
export const CSR_MIE = 0x304;
export const CSR_MIP = 0x344;
export const ENVCFG_STCE = 1n << 63n;

/** Exceptions 0-8, 12, 13, 15 (not 9 S-ecall, 10/11 reserved/M-ecall, 14 reserved). */
export const SBI_MEDELEG = 0xb1ffn;
/** SSIP | STIP | SEIP. */
export const SBI_MIDELEG = 0x222n;
const PRV_S = 1;

/** What entering S-mode and the SBI's own-hart calls need from the engine (a Vcpu has all of it). */
export interface SbiEngine {
  reset(pc: bigint, a0: bigint, a1: bigint): void;
  csr(num: number): bigint;
  setCsr(num: number, value: bigint): void;
  completeSbi(error: bigint, value: bigint): void;
}

/**
 * Reset the hart (the worker owning it, while it is outside run()) and
 * drop it to S-mode. reset() empties the TLB and decode cache, so storing
 * the privilege word afterwards needs no flush.
 */
export function enterSupervisor(engine: SbiEngine, buffer: SharedArrayBuffer, hart: number, pc: bigint, a0: bigint, a1: bigint): void {
  engine.reset(pc, a0, a1);
  new DataView(buffer).setUint32(HART_BASE + hart * HART_STRIDE + H_PRIV, PRV_S, true);
  engine.setCsr(CSR_MEDELEG, SBI_MEDELEG);
  engine.setCsr(CSR_MIDELEG, SBI_MIDELEG);
  engine.setCsr(CSR_MCOUNTEREN, 0xffff_ffffn);
  engine.setCsr(CSR_SCOUNTEREN, 7n);
  engine.setCsr(CSR_MENVCFG, engine.csr(CSR_MENVCFG) | ENVCFG_STCE);
  engine.setCsr(CSR_SATP, 0n);
}
