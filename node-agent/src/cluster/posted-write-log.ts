import type { PostedWrites } from './write-ordered-transport.js';

/**
 * The bookkeeping of posted writes (MMIO writes, SBI IPIs): each gets the
 * next sequence number when it is sent and stays unapplied until its
 * acknowledgement (or its abandonment) comes back. WriteOrderedTransport
 * holds DSM frames behind the writes sent before them. One class serves
 * every sender of posted writes (RemoteMmioBus, ClusterSbiForwarder).
 */
export class PostedWriteLog implements PostedWrites {
  private count = 0;
  /** Sequence numbers (1, 2, … = `sent` when sent) not yet applied, oldest first. */
  private readonly unapplied = new Set<number>();
  private readonly listeners: (() => void)[] = [];

  /** Writes sent so far: a mark for `appliedThrough`. */
  get sent(): number {
    return this.count;
  }

  /** True once every write up to the `mark`-th has been applied. */
  appliedThrough(mark: number): boolean {
    const oldest = this.unapplied.values().next();
    return oldest.done === true || oldest.value > mark;
  }

  onApplied(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** One more write is on its way; the returned function marks it applied (or abandoned). */
  protected post(): () => void {
    const seq = ++this.count;
    this.unapplied.add(seq);
    return () => {
      this.unapplied.delete(seq);
      for (const l of this.listeners) l();
    };
  }
}
