/**
 * Hysteresis for policy-driven vCPU migration: after a hart moves, the
 * policy may move it again only after a wait that doubles with each of
 * its moves (capped), so a hart whose data sits on two nodes settles
 * instead of ping-ponging. After any move no hart moves for `baseMs`:
 * requests made before it are stale (two harts sharing data both ask to
 * join the other; once one has moved, the other's request must not swap
 * them). Manual moves (MigrateVcpu) are not held back but count as moves.
 */
export interface MoveBackoffOptions {
  /** Wait after a hart's first move (ms). */
  baseMs: number;
  maxMs: number;
}

export const MOVE_BACKOFF_DEFAULTS: MoveBackoffOptions = { baseMs: 250, maxMs: 8000 };

export class MoveBackoff {
  private readonly last = new Map<number, { at: number; moves: number }>();
  private lastAny = -Infinity;

  constructor(private readonly opts: MoveBackoffOptions = MOVE_BACKOFF_DEFAULTS) {}

  /** May the policy move `hart` at `now` (ms)? */
  allows(hart: number, now: number): boolean {
    if (now - this.lastAny < this.opts.baseMs) return false;
    const l = this.last.get(hart);
    return !l || now - l.at >= Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** (l.moves - 1));
  }

  moved(hart: number, now: number): void {
    this.lastAny = now;
    this.last.set(hart, { at: now, moves: (this.last.get(hart)?.moves ?? 0) + 1 });
  }
}
