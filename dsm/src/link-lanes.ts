/**
 * Which outgoing queue of a link a message takes. `fault`: a message some
 * fault is waiting on (requests, replies, invalidations, acks). `bulk`: a
 * batch nobody is blocked on first (prefetch copies and the reply that must
 * follow them, write-update copies, ownership pushes).
 */
export type Lane = 'fault' | 'bulk';

interface Queued<F> { unit: number; frame: F }

/**
 * One link's outgoing frames in two lanes: fault frames leave before bulk
 * ones, so a fault's reply does not wait behind a batch of pages queued
 * earlier on the same link. Per-unit order is kept (the protocol's races are
 * per unit): a fault frame for a unit that still has a bulk frame queued
 * goes behind it, in the bulk lane. Frames of different units carry no
 * ordering obligation (each fault resolves on its own unit's reply).
 */
export class LinkLanes<F> {
  private readonly fault: Queued<F>[] = [];
  private readonly bulk: Queued<F>[] = [];
  /** Bulk frames queued per unit. */
  private readonly bulkOf = new Map<number, number>();

  get length(): number {
    return this.fault.length + this.bulk.length;
  }

  push(unit: number, frame: F, lane: Lane): void {
    if (lane === 'fault' && !this.bulkOf.has(unit)) {
      this.fault.push({ unit, frame });
      return;
    }
    this.bulk.push({ unit, frame });
    this.bulkOf.set(unit, (this.bulkOf.get(unit) ?? 0) + 1);
  }

  /** The next frame to put on the wire: the oldest fault frame, else the oldest bulk frame. */
  shift(): F | undefined {
    const f = this.fault.shift();
    if (f) return f.frame;
    const b = this.bulk.shift();
    if (!b) return undefined;
    const left = this.bulkOf.get(b.unit)! - 1;
    if (left === 0) this.bulkOf.delete(b.unit);
    else this.bulkOf.set(b.unit, left);
    return b.frame;
  }
}
