/**
 * Which node a unit's data last came from: a transport that passes every
 * frame through and notes the sender of each page and ownership grant, so
 * the fault-affinity policy can tell who served a hart's fault.
 */
import type { DsmMessage, Transport } from '@unum/dsm';

export class ServedByTap implements Transport {
  private readonly from = new Map<number, number>();

  constructor(private readonly inner: Transport) {}

  get self(): number {
    return this.inner.self;
  }

  send(...args: Parameters<Transport['send']>): void {
    this.inner.send(...args);
  }

  onMessage(handler: (from: number, msg: DsmMessage) => void): void {
    this.inner.onMessage((from, msg) => {
      if (msg.type === 'page' || msg.type === 'grant') this.from.set(msg.unit, from);
      handler(from, msg);
    });
  }

  rejected(): number {
    return this.inner.rejected();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The node whose page or grant for `unit` came last, forgotten once read (undefined: none since). */
  take(unit: number): number | undefined {
    const n = this.from.get(unit);
    this.from.delete(unit);
    return n;
  }
}
