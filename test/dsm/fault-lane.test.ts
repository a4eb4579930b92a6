import { DsmNode, GrpcTransport, MemoryNetwork, MemoryPageStore, protocolSpec, type DsmMessage, type Lane, type Transport } from '@unum/dsm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

// Issue 16 item 2f: a fault's reply must not wait behind a batch of pages on
// the same link. Asserted by order, not by timing.
const logger = pino({ level: 'silent' });
const page = (unit: number): DsmMessage => ({ type: 'prefetch', unit, version: 1, owner: 0, data: new Uint8Array(4096).fill(unit & 0xff) });

describe('the gRPC link sends fault frames ahead of bulk ones', () => {
  it('a fault frame sent after 200 bulk frames in the same turn arrives within the first turn\'s frames; per-unit order holds', async () => {
    const secret = 'lane test';
    const t0 = await GrpcTransport.start({ self: 0, nodes: 2, secret, logger });
    const t1 = await GrpcTransport.start({ self: 1, nodes: 2, secret, logger });
    try {
      t0.connect({ 1: `127.0.0.1:${t1.port}` });
      await t0.ready();
      const got: string[] = [];
      const done = new Promise<void>((resolve) => t1.onMessage((_from, m) => { got.push(`${m.type} ${m.unit}`); if (got.length === 202) resolve(); }));
      for (let u = 1; u <= 200; u++) t0.send(1, page(u), 'bulk');
      t0.send(1, { type: 'invalidate', unit: 150, version: 2, writer: 0 }); // has a bulk frame queued: stays behind it
      t0.send(1, { type: 'page', unit: 1000, version: 1, owner: 0, data: null }); // a fault's reply
      await done;
      expect(got.indexOf('page 1000')).toBeLessThanOrEqual(8); // only what the first turn wrote is ahead of it
      expect(got.indexOf('invalidate 150')).toBeGreaterThan(got.indexOf('prefetch 150'));
      expect(got.filter((g) => g.startsWith('prefetch'))).toEqual(Array.from({ length: 200 }, (_, i) => `prefetch ${i + 1}`));
    } finally {
      await t0.close();
      await t1.close();
    }
  });

  it('with lanes off every frame leaves in send order', async () => {
    const secret = 'fifo test';
    const t0 = await GrpcTransport.start({ self: 0, nodes: 2, secret, logger, lanes: false });
    const t1 = await GrpcTransport.start({ self: 1, nodes: 2, secret, logger });
    try {
      t0.connect({ 1: `127.0.0.1:${t1.port}` });
      await t0.ready();
      const got: number[] = [];
      const done = new Promise<void>((resolve) => t1.onMessage((_from, m) => { got.push(m.unit); if (got.length === 51) resolve(); }));
      for (let u = 1; u <= 50; u++) t0.send(1, page(u), 'bulk');
      t0.send(1, { type: 'page', unit: 1000, version: 1, owner: 0, data: null });
      await done;
      expect(got.at(-1)).toBe(1000);
    } finally {
      await t0.close();
      await t1.close();
    }
  });
});

/** Records each message's lane on its way into the in-memory network. */
function recording(inner: Transport, log: Array<{ type: string; unit: number; lane: Lane }>): Transport {
  return {
    self: inner.self,
    send: (to, msg, lane = 'fault') => { log.push({ type: msg.type, unit: msg.unit, lane }); inner.send(to, msg, lane); },
    onMessage: (h) => inner.onMessage(h),
    rejected: () => inner.rejected(),
    close: () => inner.close(),
  };
}

describe('prefetch copies are bulk, produced in turns', () => {
  const setup = (bulkYield?: () => Promise<void>) => {
    const net = new MemoryNetwork();
    const sent: Array<{ type: string; unit: number; lane: Lane }> = [];
    const opts = { nodes: 2, protocol: protocolSpec('ivy-dynamic+prefetch', { prefetchUnits: 32 }), unitBytes: 4096, units: 128, placement: 'node0' as const, logger };
    const owner = new DsmNode({ ...opts, id: 0, store: new MemoryPageStore(4096), transport: recording(net.transport(0), sent), bulkYield });
    const reader = new DsmNode({ ...opts, id: 1, store: new MemoryPageStore(4096), transport: net.transport(1) });
    return { owner, reader, sent };
  };

  it('copies and the reply that follows them take the bulk lane; a reply with no copies the fault lane', async () => {
    const { owner, reader, sent } = setup();
    try {
      for (let u = 0; u < 40; u++) await owner.fault(u, 'write');
      await owner.fault(127, 'write');
      await reader.fault(0, 'read');
      expect(sent.filter((s) => s.type === 'prefetch').map((s) => s.lane)).toEqual(Array(32).fill('bulk'));
      expect(sent.at(-1)).toEqual({ type: 'page', unit: 0, lane: 'bulk' }); // behind its copies, as before
      sent.length = 0;
      await reader.fault(127, 'read'); // the last unit: nothing follows it to copy
      expect(sent).toEqual([{ type: 'page', unit: 127, lane: 'fault' }]);
    } finally {
      await owner.close();
      await reader.close();
    }
  });

  it('with bulkYield, a demand fault that arrives during a batch is answered before the batch ends', async () => {
    const turns: Array<() => void> = [];
    const { owner, reader, sent } = setup(() => new Promise<void>((r) => turns.push(r)));
    try {
      for (let u = 0; u < 34; u++) await owner.fault(u, 'write');
      await owner.fault(120, 'write');
      const batch = reader.fault(0, 'read'); // 32 copies to make: 4 turns of 8
      while (turns.length === 0) await new Promise((r) => setImmediate(r));
      turns.shift()!(); // first 8 copies
      while (turns.length === 0) await new Promise((r) => setImmediate(r));
      const demand = reader.fault(120, 'write'); // arrives while the batch waits for its next turn
      await demand;
      const order = sent.map((s) => `${s.type} ${s.unit}`);
      expect(order).toContain('grant 120');
      expect(order.filter((o) => o.startsWith('prefetch'))).toHaveLength(8); // the grant left after 8 of 32 copies
      while (turns.length > 0 || sent.filter((s) => s.type === 'prefetch').length < 32) {
        turns.shift()?.();
        await new Promise((r) => setImmediate(r));
      }
      await batch;
      expect(sent.at(-1)).toEqual({ type: 'page', unit: 0, lane: 'bulk' });
    } finally {
      await owner.close();
      await reader.close();
    }
  });
});
