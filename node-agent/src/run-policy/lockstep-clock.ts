/**
 * The guest's clock in lockstep mode (docs/determinism.md): mtime is the
 * quantum's virtual start time plus this hart's instructions since, at
 * LOCKSTEP_INSTR_PER_TICK instructions per 10 MHz tick (100 MIPS nominal).
 * So the time CSR, CLINT mtime reads and timer interrupts depend on guest
 * progress only, and a run's `ticks` repeat exactly. A hart that waits on
 * a fault sits out quanta, so its clock jumps: the stall shows as time.
 */
import type { QuantumGate } from './quantum-gate.js';

export const LOCKSTEP_INSTR_PER_TICK = 10n;

export class LockstepClock {
  private start = 0n;
  private startInstret = 0n;

  constructor(private readonly gate: QuantumGate, private readonly hart: number, private readonly instret: () => bigint) {}

  /** A grant begins: time continues from the gate's start time. */
  beginQuantum(): void {
    this.start = this.gate.mtime(this.hart);
    this.startInstret = this.instret();
  }

  mtimeBig(): bigint {
    return this.start + (this.instret() - this.startInstret) / LOCKSTEP_INSTR_PER_TICK;
  }
}
