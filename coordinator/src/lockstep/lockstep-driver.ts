/**
 * LockstepDriver: the deterministic mode (docs/determinism.md). Harts run
 * in quanta of `quantum` instructions on every node at once; a hart that
 * needs a page its node does not hold stops there. Between quanta the
 * driver resolves one of those faults (see resolve), waiting until the DSM
 * is quiet (no message in flight, no unit busy), so every fault sees the
 * same DSM state in every run. Virtual time
 * advances by the quantum at a nominal rate; the DSM's timers (Mirage
 * holds) run on it, fired node by node in node order.
 */
import { coordinatorMessage } from '@unum/node-agent';
import { Step_Op, type StepReply } from '@unum/protos/cluster';
import type { NodeLink } from '../nodes/node-link.js';

/** Nominal guest speed that turns instructions into virtual time (100 MIPS). */
export const NOMINAL_INSTR_PER_MS = 100_000;
/** Probes per quiet check before the driver gives up (a protocol that never settles is a bug). */
const MAX_PROBES = 100_000;

/** The driver's counters (LockstepCounts in protos/stats.proto, without the quantum). */
export type LockstepCounts = Omit<import('@unum/protos/stats').LockstepCounts, 'quantum'>;

/**
 * Quanta a new fault waits before it is resolved: the virtual fault
 * latency. One default quantum (20,000 instructions at the nominal 100 MIPS
 * = 0.2 ms) is close to a real 4 KiB fault on loopback (~0.23 ms), during
 * which the unit's holder goes on using it.
 */
export const FAULT_DELAY_QUANTA = 1;

export class LockstepDriver {
  readonly counts: LockstepCounts = { quanta: 0, resolved: 0, parked: 0, probes: 0 };
  private stopped = false;
  private paused: Promise<void> | undefined;
  private unpause: (() => void) | undefined;

  constructor(
    private readonly members: NodeLink[],
    private readonly hartNode: number[],
    private readonly quantum: number,
  ) {}

  // State of the one run: harts whose fault waits on a virtual timer; the quantum index at which each
  // waiting hart's current fault appeared; the harts now waiting; and each node's virtual timers pending.
  private readonly parked = new Set<number>();
  private readonly since = new Map<number, number>();
  private waiting: number[] = [];
  private timers: number[] = [];

  /** Run until `stop()`; rejects if a step fails while not stopped. */
  async run(): Promise<void> {
    const vtPerQuantum = this.quantum / NOMINAL_INSTR_PER_MS;
    this.timers = this.members.map(() => 0);
    try {
      for (let k = 0; !this.stopped; k++) {
        await this.paused;
        // Virtual time passes. One unit move per barrier: a due timer (a Mirage hold ending, which serves
        // the held request) if some node has one, first node in a rotating order; else one fault.
        const moved = await this.tick(k * vtPerQuantum, k);
        for (const h of this.since.keys()) if (!this.isWaiting(h)) this.since.delete(h);
        for (const h of this.waiting) if (!this.since.has(h)) this.since.set(h, k);
        if (!moved) await this.resolve(k);
        if (this.stopped) break;
        const replies = await Promise.all(this.members.map((_, n) => this.step(n, Step_Op.QUANTUM, { budget: this.quantum, vtimeMs: k * vtPerQuantum })));
        this.counts.quanta++;
        this.waiting = this.waitingHarts(replies);
        this.timers = replies.map((r) => r.timers);
      }
    } catch (e) {
      if (!this.stopped) throw e;
    }
  }

  private isWaiting(hart: number): boolean {
    return this.waiting.includes(hart);
  }

  /** Wait for the DSM to go quiet; then which harts still wait, and which parked faults completed. */
  private async settle(): Promise<void> {
    this.waiting = this.waitingHarts(await this.quiet());
    for (const h of this.parked) if (!this.isWaiting(h)) this.parked.delete(h);
  }

  /**
   * Resolve one waiting fault that has waited its FAULT_DELAY_QUANTA: the
   * oldest, ties broken by a hart priority that rotates with the barrier `k`.
   * One per barrier, because a node that just
   * got a unit must run a quantum with it before another fault can take one
   * of its units away; otherwise two harts that each need two units (own-read
   * and the code unit, say) could trade them back and forth forever without
   * either running. A fault still waiting once the DSM is quiet is parked on
   * a timer (Mirage), and the next one in line is tried.
   */
  private async resolve(k: number): Promise<void> {
    const harts = this.hartNode.length;
    const rank = (h: number): number => this.since.get(h)! * harts + ((h - k) % harts + harts) % harts;
    const due = this.waiting.filter((h) => k - this.since.get(h)! >= FAULT_DELAY_QUANTA && !this.parked.has(h));
    for (const hart of due.sort((a, b) => rank(a) - rank(b))) {
      if (this.stopped) return;
      await this.step(this.hartNode[hart]!, Step_Op.RESOLVE, { hart });
      this.counts.resolved++;
      await this.settle();
      if (!this.isWaiting(hart)) {
        this.since.delete(hart); // its next fault, even in the next quantum, waits its own quantum
        return;
      }
      this.parked.add(hart);
      this.counts.parked++;
    }
  }

  /** Advance every node's virtual clock until one fires a timer (nodes in an order rotating with `k`); true if one fired. */
  private async tick(vt: number, k: number): Promise<boolean> {
    const n = this.members.length;
    for (let i = 0; i < n && !this.stopped; i++) {
      const node = (k + i) % n;
      if (this.timers[node]! === 0) continue;
      const r = await this.step(node, Step_Op.TICK, { vtimeMs: vt });
      if (r.fired > 0) {
        await this.settle();
        return true;
      }
    }
    return false;
  }

  stop(): void {
    this.stopped = true;
    this.resume();
  }

  /** Finish the current step, then wait for `resume()` before the next quantum. */
  pause(): void {
    this.paused ??= new Promise((r) => { this.unpause = r; });
  }

  resume(): void {
    this.unpause?.();
    this.paused = undefined;
    this.unpause = undefined;
  }

  /** The harts waiting on a fault, over all nodes. */
  private waitingHarts(replies: StepReply[]): number[] {
    return replies.flatMap((r) => r.waiting).sort((a, b) => a - b);
  }

  private async step(node: number, op: Step_Op, extra: { budget?: number; hart?: number; vtimeMs?: number }): Promise<StepReply> {
    const ack = await this.members[node]!.request((seq) => coordinatorMessage('step', { seq, op, ...extra }), `lockstep ${Step_Op[op]!.toLowerCase()}`);
    return ack.step ?? { waiting: [], running: 0, sent: 0n, received: 0n, busy: 0, timers: 0, fired: 0 };
  }

  /**
   * Wait until, over all nodes, every message sent has been received and no
   * unit is busy, in two probes in a row with the same totals (work a node
   * deferred to its next turn of the event loop shows in the second).
   */
  private async quiet(): Promise<StepReply[]> {
    let last = '';
    for (let i = 0; i < MAX_PROBES && !this.stopped; i++) {
      this.counts.probes++;
      const rs = await Promise.all(this.members.map((_, n) => this.step(n, Step_Op.PROBE, {})));
      const sent = rs.reduce((a, r) => a + Number(r.sent), 0);
      const received = rs.reduce((a, r) => a + Number(r.received), 0);
      const busy = rs.reduce((a, r) => a + r.busy, 0);
      const key = `${sent}/${received}`;
      if (sent === received && busy === 0 && key === last) return rs;
      last = sent === received && busy === 0 ? key : '';
    }
    if (this.stopped) return [];
    throw new Error(`lockstep: the DSM did not go quiet within ${MAX_PROBES} probes`);
  }
}
