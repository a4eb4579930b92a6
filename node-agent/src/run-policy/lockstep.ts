/**
 * The NodeAgent's side of lockstep (docs/determinism.md): run the local
 * harts quantum by quantum, keep the faults they stopped on until the
 * coordinator says which to resolve. `agent.lockstep` when the VM runs in
 * lockstep; the cluster's LockstepNode drives it from the coordinator's Steps.
 *
 * @example
 *   const waiting = await agent.lockstep!.runQuantum(20_000, mtime);
 *   await agent.lockstep!.resolveFault(waiting[0]!.hart);
 */
import type { PageAccess, PageFault } from '../page-fault.js';
import { MAX_HARTS } from '../node-layout.js';
import { LOCKSTEP_INSTR_PER_TICK } from './lockstep-clock.js';
import { QuantumEnd, QuantumGate } from './quantum-gate.js';
import type { RunBoot, RunPolicy } from './run-policy.js';

export interface LockstepConfig {
  /** Faults no other node can see (true) are resolved at once and the hart goes on with its quantum. */
  localFault?: (fault: PageFault) => boolean;
}

/** What Lockstep needs of its NodeAgent. */
export interface LockstepHost {
  readonly hartIds: number[];
  /** The agent has stopped (its harts will not answer a grant). */
  stopped(): boolean;
  /** Resolve one fault through the agent's handler; false (and the agent failed) if it threw. */
  handleFault(f: PageFault): Promise<boolean>;
}

const ACCESS: PageAccess[] = ['read', 'write', 'fetch'];

export class Lockstep implements RunPolicy {
  readonly boot: RunBoot;
  private readonly gate = QuantumGate.create(MAX_HARTS);
  /** Harts stopped on a page, until resolveFault; and harts that have halted. */
  private readonly waiting = new Map<number, PageFault>();
  private readonly done = new Set<number>();
  /** Between pause() and resume(): runQuantum grants nothing (a parked hart would never answer). */
  private paused = false;

  constructor(private readonly host: LockstepHost, private readonly cfg: LockstepConfig = {}) {
    this.boot = { kind: 'lockstep', gate: this.gate.buffer };
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  wake(hart: number): void {
    this.gate.wake(hart);
  }

  /**
   * Run the local harts one after another (in hart order, so harts of one
   * node never race) for up to `budget` instructions each, from guest time
   * `mtime` (ticks). Harts waiting on a fault or halted sit out. Resolves
   * with the harts now waiting on a fault.
   */
  async runQuantum(budget: number, mtime = 0n): Promise<PageFault[]> {
    const gate = this.gate;
    for (const hart of [...this.host.hartIds].sort((a, b) => a - b)) {
      if (this.waiting.has(hart) || this.done.has(hart) || this.host.stopped() || this.paused) continue;
      let end = await gate.run(hart, budget, mtime);
      while (end === QuantumEnd.Fault) {
        const g = gate.fault(hart);
        const f: PageFault = { hart, gpa: g.gpa, access: ACCESS[g.access]! };
        const left = gate.left(hart);
        if (!this.cfg.localFault?.(f) || left === 0) {
          this.waiting.set(hart, f);
          break;
        }
        await this.host.handleFault(f);
        end = await gate.run(hart, left, mtime + BigInt(budget - left) / LOCKSTEP_INSTR_PER_TICK); // time goes on from where the hart stopped
      }
      if (end === QuantumEnd.Halted) this.done.add(hart);
    }
    return this.waitingFaults();
  }

  /** The harts stopped on a page, in hart order. */
  waitingFaults(): PageFault[] {
    return [...this.waiting.values()].sort((a, b) => a.hart - b.hart);
  }

  /** Local harts that have not halted. */
  get running(): number {
    return this.host.hartIds.filter((h) => !this.done.has(h)).length;
  }

  /** Resolve the fault `hart` stopped on (the hart retries it in its next quantum). */
  async resolveFault(hart: number): Promise<void> {
    const f = this.waiting.get(hart);
    if (!f) throw new Error(`hart ${hart} is not waiting on a fault`);
    if (await this.host.handleFault(f)) this.waiting.delete(hart);
  }
}
