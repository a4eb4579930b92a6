/**
 * A hart's side of lockstep (docs/determinism.md): it runs only in quanta
 * the main thread grants through the QuantumGate. A page the node does not
 * hold ends the quantum (recorded in the gate; the main thread resolves it
 * when the coordinator says), so no fault races another node's. WFI ends
 * the quantum too, and the guest clock follows guest progress.
 */
import { PAGE_SIZE } from '@unum/machine';
import { HartRunState } from '../hart-mailbox.js';
import { LockstepClock } from './lockstep-clock.js';
import { QuantumEnd, QuantumGate } from './quantum-gate.js';
import { MAX_WAIT_MS, type Hart, type HartPolicy } from './run-policy.js';

const ACCESS_CODE = { read: 0, write: 1, fetch: 2 } as const;

export class LockstepHart implements HartPolicy {
  readonly clock: LockstepClock;
  /** Never post: a write (the finisher's above all) must reach the coordinator before the quantum's end does. */
  readonly posts = false;
  /** Never sleep on the host: an SBI suspend returns at once, the hart waits out quanta instead. */
  readonly sleeps = false;
  private readonly gate: QuantumGate;
  /** The last grant this hart took (a fresh worker starts from the gate's last finished one). */
  private seen: number;

  constructor(gate: SharedArrayBuffer, private readonly hart: number, instret: () => bigint) {
    this.gate = new QuantumGate(gate);
    this.clock = new LockstepClock(this.gate, hart, instret);
    this.seen = this.gate.finished(hart);
  }

  /** Wait for a grant, then run one quantum (or pass it idle while HSM-stopped). */
  turn(h: Hart): QuantumEnd | undefined {
    const grant = this.gate.waitGrant(this.hart, this.seen, MAX_WAIT_MS);
    if (!grant) return undefined;
    this.seen = grant.gen;
    if (h.sbi && !h.sbi.tryStart()) { // HSM-stopped: the quantum passes idle
      h.publish(HartRunState.Wfi);
      this.gate.finish(this.hart, grant.gen, QuantumEnd.Idle, grant.budget);
      return QuantumEnd.Idle;
    }
    this.clock.beginQuantum();
    h.publish(HartRunState.Running);
    const { end, left } = this.quantum(h, grant.budget);
    this.gate.finish(this.hart, grant.gen, end, left);
    return end;
  }

  /** Run up to `budget` instructions; the engine's budget is exact. */
  private quantum(h: Hart, budget: number): { end: QuantumEnd; left: number } {
    let left = budget;
    while (left > 0) {
      const before = h.engine.instret;
      const exit = h.engine.run(left);
      left -= Number(h.engine.instret - before);
      const end = h.exit(exit);
      if (end !== undefined) return { end, left };
    }
    return { end: QuantumEnd.Spent, left: 0 };
  }

  fault(h: Hart, gpa: number, access: 'read' | 'write' | 'fetch'): QuantumEnd {
    h.count('pageForwarded');
    this.gate.recordFault(this.hart, gpa - (gpa % PAGE_SIZE), ACCESS_CODE[access]);
    h.publish(HartRunState.Stalled);
    return QuantumEnd.Fault;
  }

  wfi(h: Hart): QuantumEnd {
    h.publish(HartRunState.Wfi);
    return QuantumEnd.Idle;
  }

  /** The budget ran out (the quantum loop ends it), or a kick: pause or stop end the quantum. */
  yielded(h: Hart): QuantumEnd | undefined {
    return h.running() ? undefined : QuantumEnd.Idle;
  }

  /** End any grant still outstanding, so the main thread does not wait forever. */
  leave(): void {
    this.gate.abandon(this.hart);
  }
}
