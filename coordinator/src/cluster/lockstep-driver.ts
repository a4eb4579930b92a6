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
import { toNum, type StepOp, type StepReply, type WaitingFault } from '@unum/node-agent';
import type { Member } from './member.js';

/** Nominal guest speed that turns instructions into virtual time (100 MIPS). */
export const NOMINAL_INSTR_PER_MS = 100_000;
/** Probes per quiet check before the driver gives up (a protocol that never settles is a bug). */
const MAX_PROBES = 100_000;

export interface LockstepCounts {
  quanta: number;
  /** Faults resolved through the driver (each one at a time). */
  resolved: number;
  /** Faults that were still waiting when the DSM went quiet (held by a virtual timer). */
  parked: number;
  probes: number;
}

interface Fault { hart: number; unit: number }

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
    private readonly members: Member[],
    private readonly hartNode: number[],
    private readonly quantum: number,
    private readonly unitOf: (gpa: number) => number,
  ) {}

  /** Run until `stop()`; rejects if a step fails while not stopped. */
  async run(): Promise<void> {
    const vtPerQuantum = this.quantum / NOMINAL_INSTR_PER_MS;
    const parked = new Set<number>(); // harts whose fault waits on a virtual timer
    const since = new Map<number, number>(); // hart → quantum index its current fault appeared at
    let waiting: Fault[] = [];
    let timers = this.members.map(() => 0);
    const settle = async (): Promise<void> => {
      waiting = this.faultsOf(await this.quiet());
      for (const h of parked) if (!waiting.some((f) => f.hart === h)) parked.delete(h);
    };
    try {
      for (let k = 0; !this.stopped; k++) {
        await this.paused;
        // Virtual time passes. One unit move per barrier: a due timer (a Mirage hold ending, which serves
        // the held request) if some node has one, first node in a rotating order; else one fault.
        const moved = await this.tick(k * vtPerQuantum, k, timers, settle);
        for (const h of since.keys()) if (!waiting.some((f) => f.hart === h)) since.delete(h);
        for (const f of waiting) if (!since.has(f.hart)) since.set(f.hart, k);
        const due = waiting.filter((f) => k - since.get(f.hart)! >= FAULT_DELAY_QUANTA);
        if (!moved) await this.resolve(due, parked, since, k, settle, () => waiting);
        if (this.stopped) break;
        const replies = await Promise.all(this.members.map((_, n) => this.step(n, 'QUANTUM', { budget: this.quantum, vtimeMs: k * vtPerQuantum })));
        this.counts.quanta++;
        waiting = this.faultsOf(replies);
        timers = replies.map((r) => r.timers ?? 0);
      }
    } catch (e) {
      if (!this.stopped) throw e;
    }
  }

  /**
   * Resolve one waiting fault: the oldest, ties broken by a hart priority
   * that rotates with the barrier. One per barrier, because a node that just
   * got a unit must run a quantum with it before another fault can take one
   * of its units away; otherwise two harts that each need two units (own-read
   * and the code unit, say) could trade them back and forth forever without
   * either running. A fault still waiting once the DSM is quiet is parked on
   * a timer (Mirage), and the next one in line is tried.
   */
  private async resolve(faults: Fault[], parked: Set<number>, since: Map<number, number>, k: number, settle: () => Promise<void>,
    waiting: () => Fault[]): Promise<void> {
    const harts = this.hartNode.length;
    const rank = (f: Fault): number => since.get(f.hart)! * harts + ((f.hart - k) % harts + harts) % harts;
    for (const f of faults.filter((x) => !parked.has(x.hart)).sort((a, b) => rank(a) - rank(b))) {
      if (this.stopped) return;
      await this.step(this.hartNode[f.hart]!, 'RESOLVE', { hart: f.hart });
      this.counts.resolved++;
      await settle();
      if (!waiting().some((w) => w.hart === f.hart)) {
        since.delete(f.hart); // its next fault, even in the next quantum, waits its own quantum
        return;
      }
      parked.add(f.hart);
      this.counts.parked++;
    }
  }

  /** Advance every node's virtual clock until one fires a timer (nodes in an order rotating with `k`); true if one fired. */
  private async tick(vt: number, k: number, timers: number[], settle: () => Promise<void>): Promise<boolean> {
    const n = this.members.length;
    for (let i = 0; i < n && !this.stopped; i++) {
      const node = (k + i) % n;
      if (timers[node]! === 0) continue;
      const r = await this.step(node, 'TICK', { vtimeMs: vt });
      if ((r.fired ?? 0) > 0) {
        await settle();
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

  private faultsOf(replies: StepReply[]): Fault[] {
    return replies.flatMap((r) => r.waiting ?? []).map((w: WaitingFault) => ({ hart: w.hart, unit: this.unitOf(toNum(w.gpa)) }))
      .sort((a, b) => a.hart - b.hart);
  }

  private async step(node: number, op: StepOp, extra: { budget?: number; hart?: number; vtimeMs?: number }): Promise<StepReply> {
    const ack = await this.members[node]!.request((seq) => ({ step: { seq, op, ...extra } }), `lockstep ${op.toLowerCase()}`);
    return ack.step ?? {};
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
      const rs = await Promise.all(this.members.map((_, n) => this.step(n, 'PROBE', {})));
      const sent = rs.reduce((a, r) => a + toNum(r.sent), 0);
      const received = rs.reduce((a, r) => a + toNum(r.received), 0);
      const busy = rs.reduce((a, r) => a + (r.busy ?? 0), 0);
      const key = `${sent}/${received}`;
      if (sent === received && busy === 0 && key === last) return rs;
      last = sent === received && busy === 0 ? key : '';
    }
    if (this.stopped) return [];
    throw new Error(`lockstep: the DSM did not go quiet within ${MAX_PROBES} probes`);
  }
}
