/**
 * Emulated link latency: a Transport wrapper that holds every outgoing
 * message for a fixed one-way delay before handing it to the real transport.
 * Each destination has its own FIFO, so per-link order (which the protocol
 * relies on) is kept; all messages on a link wait the same time, so they
 * also leave in order. Waits use preciseUntil (µs precision, setImmediate
 * polling for the last stretch), not setTimeout's ~1 ms ticks. Real links
 * with jitter and loss: deploy/netns (tc netem).
 *
 * @example
 *   const t = new DelayedTransport(await GrpcTransport.start(o), 50_000); // +50 µs each way
 */
import type { Lane } from './link-lanes.js';
import type { DsmMessage } from './messages.js';
import { hrtimeNs, preciseUntil } from './precise-delay.js';
import type { Transport } from './transport.js';

interface Held { due: bigint; msg: DsmMessage; lane?: Lane }

export class DelayedTransport implements Transport {
  private readonly links = new Map<number, Held[]>();
  private closed = false;

  constructor(private readonly inner: Transport, readonly delayNs: number) {
    if (!(delayNs >= 0)) throw new RangeError(`link delay ${delayNs} ns`);
  }

  get self(): number {
    return this.inner.self;
  }

  send(to: number, msg: DsmMessage, lane?: Lane): void {
    if (this.delayNs === 0) return this.inner.send(to, msg, lane);
    let q = this.links.get(to);
    const idle = !q || q.length === 0;
    if (!q) this.links.set(to, (q = []));
    q.push({ due: hrtimeNs() + BigInt(this.delayNs), msg, lane });
    if (idle) void this.pump(to, q);
  }

  private async pump(to: number, q: Held[]): Promise<void> {
    while (q.length > 0 && !this.closed) {
      await preciseUntil(q[0]!.due);
      if (this.closed) return;
      const h = q.shift()!;
      this.inner.send(to, h.msg, h.lane);
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
    await this.inner.close();
  }
}
