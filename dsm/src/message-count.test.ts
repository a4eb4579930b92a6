import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DsmNode } from './dsm-node.js';
import { MemoryPageStore } from './memory-page-store.js';
import { MemoryNetwork } from './memory-transport.js';
import type { Placement } from './options.js';
import { protocolSpec } from './protocols/index.js';

// Messages per fault must equal the protocol optimum: 2 for a read at a known
// owner, +1 per forward, +2 per invalidated sharer (deterministic counters,
// the same numbers the DSM bench prints).
function cluster(protocol: string, nodes: number, placement: Placement = 'node0') {
  const net = new MemoryNetwork();
  const logger = pino({ level: 'silent' });
  const stores = Array.from({ length: nodes }, () => new MemoryPageStore(4096));
  const dsm = stores.map((store, id) => new DsmNode({ id, nodes, protocol: protocolSpec(protocol), unitBytes: 4096, units: 64, placement, store, transport: net.transport(id), logger }));
  const sent = () => dsm.reduce((a, n) => a + Object.values(n.stats().messagesSent).reduce((b, s) => b + s.count, 0), 0);
  /** Messages the cluster sends while `f` runs. */
  const count = async (f: () => Promise<void>) => {
    const before = sent();
    await f();
    expect(net.inFlight()).toBe(0);
    return sent() - before;
  };
  return { dsm, stores, count };
}

describe('messages per fault', () => {
  it('read fault at a known owner: 2 (ivy-dynamic, ivy-central with manager = owner, ivy-fixed at the manager)', async () => {
    for (const [protocol, unit] of [['ivy-dynamic', 5], ['ivy-central', 5], ['ivy-fixed', 6]] as const) {
      const { dsm, count } = cluster(protocol, 3);
      expect(await count(() => dsm[0].fault(unit, 'write'))).toBe(0); // node 0 owns everything at start
      expect(await count(() => dsm[1].fault(unit, 'read')), protocol).toBe(2);
    }
  });

  it('modifiers keep the base counts for a lone fault (mirage, update, own-read), prefetch adds one copy per unit', async () => {
    for (const protocol of ['ivy-dynamic+mirage', 'ivy-dynamic+update', 'ivy-dynamic+own-read', 'ivy-fixed+update+mirage']) {
      const { dsm, count } = cluster(protocol, 3);
      expect(await count(() => dsm[1].fault(5, 'read')), protocol).toBe(protocol.startsWith('ivy-fixed') ? 3 : 2);
      expect(await count(() => dsm[2].fault(8, 'write')), protocol).toBe(2);
    }
    const { dsm } = cluster('ivy-dynamic+prefetch', 3);
    await dsm[1].fault(60, 'read');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); // the copies follow the page
    const s = dsm[1].stats().messagesReceived;
    expect([s.page.count, s.prefetch.count]).toEqual([1, 3]); // units 61..63 are node 0's (64 units)
    expect(dsm[1].stats().requests).toBe(1);
  });

  it('home-based: 2 at the home; 4 while a remote node writes (request, recall, grant, reply)', async () => {
    const { dsm, count } = cluster('home-based', 3, 'interleaved');
    expect(await count(() => dsm[1].fault(4, 'read'))).toBe(0); // home 4 mod 3 = 1 owns it: local
    expect(await count(() => dsm[2].fault(3, 'read'))).toBe(2); // home 0 owns unit 3
    expect(await count(() => dsm[2].fault(3, 'write'))).toBe(2); // request + grant, the home held no copy
    expect(await count(() => dsm[1].fault(3, 'read'))).toBe(4); // request, recall, read grant, page
    expect(await count(() => dsm[1].fault(3, 'write'))).toBe(4); // request + grant, then invalidate + ack of node 2's copy
    expect(await count(() => dsm[2].fault(3, 'write'))).toBe(4); // request, recall, grant, grant
    expect(dsm[0].stats().recalls).toBe(2);
  });

  it('+1 per forward: a read through the central manager to another owner is 3', async () => {
    const { dsm, count } = cluster('ivy-central', 3);
    expect(await count(() => dsm[1].fault(9, 'write'))).toBe(2); // request + grant (manager was owner)
    expect(await count(() => dsm[2].fault(9, 'read'))).toBe(3); // request, forward, page
    expect(dsm[0].stats().forwards).toBe(1);
  });

  it('ivy-dynamic follows a stale hint once, then goes straight to the owner', async () => {
    const { dsm, count } = cluster('ivy-dynamic', 3);
    expect(await count(() => dsm[1].fault(3, 'write'))).toBe(2);
    expect(await count(() => dsm[2].fault(3, 'read'))).toBe(3); // 2 -> 0 (stale) -> 1 -> page
    expect(await count(() => dsm[0].fault(3, 'read'))).toBe(2); // node 0's hint was compressed to 1
    expect(await count(() => dsm[1].fault(3, 'write'))).toBe(4); // owner upgrade: 2 sharers x (invalidate + ack)
    expect(await count(() => dsm[2].fault(3, 'read'))).toBe(2); // node 2's hint is the owner already
  });

  it('write fault: 2 + 2 per sharer to invalidate', async () => {
    for (const protocol of ['ivy-dynamic', 'ivy-central']) {
      const { dsm, count } = cluster(protocol, 4);
      await dsm[0].fault(1, 'write');
      await dsm[1].fault(1, 'read');
      expect(await count(() => dsm[3].fault(1, 'write')), `${protocol} k=1`).toBe(4);
      await dsm[1].fault(2, 'read');
      await dsm[2].fault(2, 'read');
      expect(await count(() => dsm[3].fault(2, 'write')), `${protocol} k=2`).toBe(6);
      expect(dsm[1].stats().invalidationsReceived).toBe(2);
    }
  });

  it('first touch: the first node to fault owns a zero unit, no data moved', async () => {
    const { dsm, stores, count } = cluster('ivy-dynamic', 3, 'first-touch');
    expect(await count(() => dsm[2].fault(4, 'read'))).toBe(2); // home 4 mod 3 = 1 hands it out
    expect(stores[2].rightsOf(4)).toBe('write');
    expect(dsm[1].stats().messagesSent.grant).toEqual({ count: 1, bytes: 0 });
    expect(await count(() => dsm[2].fault(5, 'write'))).toBe(0); // home 5 mod 3 = 2: local, no messages
  });

  it('faults by several vCPUs on one unit coalesce into one request', async () => {
    const { dsm, count } = cluster('ivy-dynamic', 2);
    await dsm[0].fault(7, 'write');
    expect(await count(() => Promise.all([1, 2, 3, 4].map(() => dsm[1].fault(7, 'read'))).then(() => undefined))).toBe(2);
    expect(dsm[1].stats().requests).toBe(1);
    expect(dsm[1].stats().readFaults).toBe(4);
  });

  it('stats are plain JSON with latency percentiles and the hottest units', async () => {
    const { dsm } = cluster('ivy-fixed', 2);
    for (let i = 0; i < 3; i++) {
      await dsm[1].fault(2, 'write');
      await dsm[0].fault(2, 'write');
    }
    await dsm[1].fault(3, 'read');
    const s = JSON.parse(JSON.stringify(dsm[1].stats()));
    expect(s.writeFaults).toBe(3);
    expect(s.faultLatencyUs.count).toBe(4);
    expect(s.faultLatencyUs.p99).toBeGreaterThanOrEqual(s.faultLatencyUs.p50);
    expect(dsm[1].pageStats(1)).toEqual([{ unit: 2, readFaults: 0, writeFaults: 3, invalidations: 0 }]);
  });

  it('refuses bad options and out-of-range faults with clear errors', async () => {
    const { dsm } = cluster('ivy-dynamic', 2);
    await expect(dsm[0].fault(64, 'read')).rejects.toThrow(/unit 64 out of range/);
    const base = { id: 0, nodes: 2, protocol: protocolSpec('ivy-dynamic'), unitBytes: 4096, units: 4, store: new MemoryPageStore(4096), transport: new MemoryNetwork().transport(0) };
    expect(() => new DsmNode({ ...base, unitBytes: 6000 })).toThrow(/power of two/);
    expect(() => new DsmNode({ ...base, protocol: protocolSpec('nope') })).toThrow(/unknown DSM protocol "nope"/);
    expect(() => new DsmNode({ ...base, id: 2 })).toThrow(/node id 2/);
  });
});
