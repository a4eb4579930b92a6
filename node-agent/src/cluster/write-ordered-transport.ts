/**
 * A Transport wrapper that keeps DSM frames behind this node's posted MMIO
 * writes. A hart's MMIO write is posted (it goes on before the write has
 * taken effect), so without this a store the hart makes after the write can
 * reach another node over a DSM link, which is not the path the write takes
 * (agent → coordinator → device, or → the node of the hart whose CLINT
 * register it is), before the write has been applied. The guest then sees
 * its fence broken: hart 0 sends hart 2 an IPI, fences, sets a flag; hart 2
 * sees the flag, clears its msip, and the IPI lands afterwards.
 *
 * Each frame records how many writes had been sent when the DSM sent it and
 * leaves once all of those are applied. Frames leave in the order they were
 * sent, so per-link FIFO (which the protocol relies on) holds. With no write
 * in flight (the common case) a frame goes straight through.
 */
import type { DsmMessage, Lane, Transport } from '@unum/dsm';

/** The node's writes as the transport sees them (RemoteMmioBus). */
export interface PostedWrites {
  /** How many writes have been sent so far. */
  readonly sent: number;
  /** True once every write up to the `mark`-th has been applied where it lands. */
  appliedThrough(mark: number): boolean;
  /** Called after each write is applied (or abandoned). */
  onApplied(listener: () => void): void;
}

interface Held { mark: number; to: number; msg: DsmMessage; lane?: Lane }

export class WriteOrderedTransport implements Transport {
  private readonly held: Held[] = [];
  private closed = false;
  /** Frames that had to wait for a write (for tests and reports). */
  framesHeld = 0;

  constructor(private readonly inner: Transport, private readonly writes: PostedWrites) {
    writes.onApplied(() => this.release());
  }

  get self(): number {
    return this.inner.self;
  }

  send(to: number, msg: DsmMessage, lane?: Lane): void {
    const mark = this.writes.sent;
    if (this.held.length === 0 && this.writes.appliedThrough(mark)) return this.inner.send(to, msg, lane);
    this.framesHeld++;
    this.held.push({ mark, to, msg, lane });
  }

  private release(): void {
    while (!this.closed && this.held.length > 0 && this.writes.appliedThrough(this.held[0]!.mark)) {
      const h = this.held.shift()!;
      this.inner.send(h.to, h.msg, h.lane);
    }
  }

  onMessage(handler: (from: number, msg: DsmMessage) => void): void {
    this.inner.onMessage(handler);
  }

  rejected(): number {
    return this.inner.rejected();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held.length = 0;
    await this.inner.close();
  }
}
