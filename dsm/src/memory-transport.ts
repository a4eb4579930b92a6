import type { DsmMessage } from './messages.js';
import type { Transport } from './transport.js';

/** Decides when a queued message is delivered; the seeded scheduler provides its own. */
export interface DeliveryScheduler {
  /** Called once per sent message; must eventually call `deliverNext()` for that channel. */
  post(channel: string, deliverNext: () => void): void;
}

/** Delivers each message on its own macrotask, in send order. */
export const immediateDelivery: DeliveryScheduler = {
  post: (_channel, deliverNext) => setImmediate(deliverNext),
};

/**
 * In-process network: one FIFO channel per ordered node pair. The scheduler
 * only decides *which channel* moves next, so per-pair order always holds.
 */
export class MemoryNetwork {
  private readonly handlers = new Map<number, (from: number, msg: DsmMessage) => void>();
  private readonly channels = new Map<string, { from: number; to: number; queue: DsmMessage[] }>();

  constructor(private readonly scheduler: DeliveryScheduler = immediateDelivery) {}

  transport(self: number): Transport {
    const net = this;
    return {
      self,
      send: (to, msg) => net.send(self, to, msg),
      onMessage: (h) => void net.handlers.set(self, h),
      rejected: () => 0,
      close: async () => void net.handlers.delete(self),
    };
  }

  /** Messages sent but not yet delivered. */
  inFlight(): number {
    let n = 0;
    for (const c of this.channels.values()) n += c.queue.length;
    return n;
  }

  private send(from: number, to: number, msg: DsmMessage): void {
    const key = `${from}->${to}`;
    let ch = this.channels.get(key);
    if (!ch) this.channels.set(key, (ch = { from, to, queue: [] }));
    ch.queue.push(copy(msg));
    const c = ch;
    this.scheduler.post(key, () => {
      const m = c.queue.shift();
      if (m) this.handlers.get(c.to)?.(c.from, m);
    });
  }
}

/** Messages cross a wire: never share a buffer with the sender. */
function copy(m: DsmMessage): DsmMessage {
  if (m.type === 'grant') return { ...m, data: m.data?.slice() ?? null, copyset: [...m.copyset], ...(m.updateSet ? { updateSet: [...m.updateSet] } : {}) };
  if ('data' in m) return { ...m, data: m.data?.slice() ?? null };
  return { ...m };
}
