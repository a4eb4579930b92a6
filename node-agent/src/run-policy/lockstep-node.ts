/**
 * A cluster node's side of the coordinator's LockstepDriver
 * (docs/determinism.md): each Step runs a quantum, starts resolving one
 * fault, or advances the DSM's virtual clock, and every reply says what the
 * driver checks for quiet (faults waiting, messages sent and received,
 * units busy, timers). VmNode hands its Steps here.
 *
 * @example
 *   const lockstep = new LockstepNode(agent.lockstep!, () => dsm.activity());
 *   const dsm = new DsmNode({ timers: lockstep.timers, ... });
 *   const reply = await lockstep.step({ op: Step_Op.QUANTUM, budget: 20_000, vtimeMs: 0.2, ... });
 */
import { VirtualTimers } from '@unum/dsm';
import { TIMEBASE_HZ } from '@unum/machine';
import { Step_Op, type Step, type StepReply } from '@unum/protos/cluster';
import type { Lockstep } from './lockstep.js';

/** What the driver's quiet check needs of the node's DSM (DsmNode.activity). */
export type DsmActivity = () => { sent: number; received: number; busy: number };

export class LockstepNode {
  /** The DSM's timers (Mirage Δ): a virtual clock that only Step TICK moves. */
  readonly timers = new VirtualTimers();

  constructor(private readonly harts: Lockstep, private readonly activity: DsmActivity) {}

  async step(s: Step): Promise<StepReply> {
    let fired = 0;
    switch (s.op) {
      case Step_Op.QUANTUM: await this.harts.runQuantum(s.budget, BigInt(Math.round(s.vtimeMs * (TIMEBASE_HZ / 1000)))); break;
      case Step_Op.RESOLVE: void this.harts.resolveFault(s.hart); break; // completion shows in PROBE's waiting list
      case Step_Op.TICK: fired = this.timers.advance(s.vtimeMs, 1); break; // one unit move per barrier (LockstepDriver)
      default: break; // PROBE
    }
    const a = this.activity();
    return {
      waiting: this.harts.waitingFaults().map((f) => f.hart), running: this.harts.running,
      sent: BigInt(a.sent), received: BigInt(a.received), busy: a.busy, timers: this.timers.waiting, fired,
    };
  }
}
