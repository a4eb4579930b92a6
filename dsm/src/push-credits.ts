import { DsmError } from './errors.js';
import type { CreditMsg } from './messages.js';

/** After a peer refuses, ask it again only after this long (ms) unless it said it had room. */
const RETRY_MS = 20;

/**
 * The pushing side of ownership push: which peers to ask for room, and the
 * `reserve` awaiting its `credit` (one per unit: the push runs inside the
 * unit's queue). Credits are answered outside the unit queues, so waiting for
 * one cannot block behind the unit being pushed.
 *
 * @example
 *   for (const to of credits.candidates(allowed)) if (await credits.ask(unit, to, send)) break;
 */
export class PushCredits {
  private readonly waiting = new Map<number, { to: number; resolve: (ok: boolean) => void; reject: (e: Error) => void }>();
  /** Last `spare` each peer reported (Infinity: not asked yet). */
  private readonly spare: number[];
  private readonly retryAt: number[];

  constructor(private readonly self: number, nodes: number, private readonly now: () => number) {
    this.spare = Array.from({ length: nodes }, () => Infinity);
    this.retryAt = Array.from({ length: nodes }, () => 0);
  }

  /** Peers worth asking (most room first), among `allowed` (all peers when undefined). */
  candidates(allowed?: number[]): number[] {
    const t = this.now();
    const peers = (allowed ?? this.spare.map((_, i) => i)).filter((p) => p !== this.self && (this.spare[p] > 0 || this.retryAt[p] <= t));
    return peers.sort((a, b) => this.spare[b] - this.spare[a]);
  }

  /** Send `reserve` for `unit` to `to`; resolves with the peer's answer. */
  ask(unit: number, to: number, send: () => void): Promise<boolean> {
    if (this.waiting.has(unit)) throw new DsmError('protocol', `unit ${unit}: a reserve is already in flight`);
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.set(unit, { to, resolve, reject });
      send();
    });
  }

  /** A `credit` arrived; false if nobody asked `from` about this unit. */
  answer(from: number, m: CreditMsg): boolean {
    const w = this.waiting.get(m.unit);
    if (!w || w.to !== from) return false;
    this.waiting.delete(m.unit);
    this.spare[from] = m.spare;
    if (!m.ok || m.spare === 0) this.retryAt[from] = this.now() + RETRY_MS;
    w.resolve(m.ok);
    return true;
  }

  close(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
