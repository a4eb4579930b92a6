import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DsmNode } from './dsm-node.js';
import { MemoryPageStore } from './memory-page-store.js';
import { MemoryNetwork } from './memory-transport.js';
import type { NodeTimers } from './options.js';
import { parseProtocol, protocolKnobs, protocolNames, protocolSpec, type ProtocolKnobs } from './protocols/index.js';

// Each variant's effect, shown with deterministic counters against its base.
// Messages are delivered in order on macrotasks; `settle()` waits until none is
// in flight (a vCPU that is slower than the network).

/** A virtual clock: time moves only when the test says so; hold timers fire then. */
function virtualTimers() {
  let t = 0;
  let due: { at: number; fn: () => void }[] = [];
  const timers: NodeTimers = { defer: (fn) => setImmediate(fn), after: (ms, fn) => void due.push({ at: t + ms, fn }), now: () => t };
  const tick = () => {
    t += 1;
    const fire = due.filter((d) => d.at <= t);
    due = due.filter((d) => d.at > t);
    for (const d of fire) d.fn();
  };
  return { timers, tick };
}

function cluster(protocol: string, nodes: number, knobs: ProtocolKnobs = {}, timers?: NodeTimers) {
  const net = new MemoryNetwork();
  const logger = pino({ level: 'silent' });
  const stores = Array.from({ length: nodes }, () => new MemoryPageStore(4096));
  const dsm = stores.map((store, id) => new DsmNode({ id, nodes, protocol: protocolSpec(protocol, knobs), unitBytes: 4096, units: 64, store, transport: net.transport(id), logger, timers }));
  const sent = () => dsm.reduce((a, n) => a + Object.values(n.stats().messagesSent).reduce((b, s) => b + s.count, 0), 0);
  const settle = async () => {
    for (let quiet = 0, i = 0; quiet < 3 && i < 10_000; i++) {
      await new Promise((r) => setImmediate(r));
      quiet = net.inFlight() === 0 ? quiet + 1 : 0;
    }
  };
  const total = (k: 'readFaults' | 'writeFaults' | 'requests') => dsm.reduce((a, n) => a + n.stats()[k], 0);
  return { dsm, stores, sent, settle, total };
}

describe('protocol names', () => {
  it('parses base + modifiers in any order into one canonical name', () => {
    expect(parseProtocol('mirage+ivy-dynamic+prefetch').canonical).toBe('ivy-dynamic+prefetch+mirage');
    expect(protocolNames()).toContain('ivy-dynamic+prefetch+mirage');
    expect(() => parseProtocol('ivy-dynamic+own-read+update')).toThrow(/own-read and update cannot be combined/);
    expect(() => parseProtocol('home-based+prefetch')).toThrow(/prefetch does not apply to home-based/);
    expect(() => parseProtocol('mirage')).toThrow(/exactly one base/);
    expect(() => parseProtocol('ivy-dynamic+turbo')).toThrow(/unknown part "turbo"/);
    expect(() => parseProtocol('ivy-fixed+mirage+mirage')).toThrow(/repeats/);
  });

  it('knobs tune only the parts that are named, with range checks', () => {
    const base = { id: 0, nodes: 2, unitBytes: 4096, units: 4, store: new MemoryPageStore(4096), transport: new MemoryNetwork().transport(0) };
    expect(() => new DsmNode({ ...base, protocol: protocolSpec('ivy-dynamic', { mirageMs: 2 }) })).toThrow(/mirageMs has no effect on DSM protocol "ivy-dynamic"/);
    expect(() => new DsmNode({ ...base, protocol: protocolSpec('ivy-dynamic+prefetch', { prefetchUnits: 0 }) })).toThrow(/prefetchUnits must be an integer from 1 to 64/);
    expect(() => new DsmNode({ ...base, protocol: protocolSpec('home-based', { homeMigrateAfter: -1 }) })).toThrow(/homeMigrateAfter/);
    expect(new DsmNode({ ...base, protocol: protocolSpec('mirage+ivy-dynamic', { mirageMs: 2 }) }).stats().protocol).toBe('ivy-dynamic+mirage');
  });

  it('stats report the knobs in effect: set ones, the defaults of the others the name reads, nothing else', () => {
    const base = { id: 0, nodes: 2, unitBytes: 4096, units: 4, store: new MemoryPageStore(4096), transport: new MemoryNetwork().transport(0) };
    expect(new DsmNode({ ...base, protocol: protocolSpec('ivy-dynamic+prefetch+mirage', { mirageMs: 0.25 }) }).stats().knobs).toEqual({ prefetchUnits: 4, mirageMs: 0.25 });
    expect(new DsmNode({ ...base, protocol: protocolSpec('home-based') }).stats().knobs).toEqual({ homeMigrateAfter: 3 });
    expect(new DsmNode({ ...base, protocol: protocolSpec('ivy-central') }).stats().knobs).toEqual({});
  });

  it('protocolSpec names a knob by the caller\'s label and says which mechanism reads it', () => {
    const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    expect(() => protocolSpec('ivy-central', { mirageMs: 1 }, flag).knobs).toThrow(/^--mirage-ms has no effect on DSM protocol "ivy-central" \(only mirage reads it\)$/);
    expect(() => protocolSpec('ivy-dynamic', { homeMigrateAfter: 2 }, flag).knobs).toThrow(/only home-based reads it/);
    expect(() => protocolSpec('home-based', { homeMigrateAfter: 2.5 }, flag).knobs).toThrow(/^--home-migrate-after must be an integer from 1 to 1000000, got 2.5$/);
    expect(protocolSpec('mirage+home-based', { homeMigrateAfter: 8 }).knobs).toEqual({ homeMigrateAfter: 8, mirageMs: 1 });
    expect(protocolKnobs('ivy-dynamic+prefetch').map((k) => k.name)).toEqual(['prefetchUnits']);
  });
});

describe('new message fields from a bad peer', () => {
  it('refuses a pushed copy in another node\'s name, an absurd prefetch count and a wrong-size update', async () => {
    const c = cluster('ivy-dynamic+prefetch+update', 3);
    const raw = (c.dsm[2] as unknown as { transport: { send(to: number, m: unknown): void } }).transport;
    raw.send(1, { type: 'update', unit: 4, version: 0, owner: 0, data: null }); // node 2 speaking for node 0
    raw.send(1, { type: 'request', unit: 4, access: 'read', requester: 2, hops: 0, prefetch: 5000 });
    raw.send(1, { type: 'prefetch', unit: 4, version: 0, owner: 2, data: new Uint8Array(100) });
    await c.settle();
    const s = c.dsm[1].stats();
    expect(s.rejected).toBe(3);
    expect(s.pushesInstalled).toBe(0);
    expect(c.stores[1].rightsOf(4)).toBe('none');
  });
});

describe('variant effects (deterministic counters)', () => {
  it('mirage: Δ cuts ping-pong faults on a falsely shared unit', async () => {
    /** Two nodes each store 40 times to their own word of unit 0, one store per tick when they hold Write. */
    const run = async (protocol: string, knobs: ProtocolKnobs) => {
      const { timers, tick } = virtualTimers();
      const c = cluster(protocol, 2, knobs, timers);
      const left = [40, 40];
      const faulting = [false, false];
      for (let t = 0; t < 2000 && (left[0] > 0 || left[1] > 0); t++) {
        for (const n of [0, 1]) {
          if (left[n] === 0) continue;
          if (c.stores[n].store32(0, 4 * n, t)) left[n]--;
          else if (!faulting[n]) {
            faulting[n] = true;
            void c.dsm[n].fault(0, 'write').then(() => { faulting[n] = false; });
          }
        }
        await c.settle();
        tick();
      }
      await c.settle();
      expect(left).toEqual([0, 0]);
      return { faults: c.total('writeFaults'), messages: c.sent(), holds: c.dsm.reduce((a, n) => a + n.stats().holds, 0) };
    };
    const ivy = await run('ivy-dynamic', {});
    const mirage = await run('ivy-dynamic+mirage', { mirageMs: 5 });
    expect(ivy).toEqual({ faults: 81, messages: 160, holds: 0 }); // every store after the first moves the unit
    expect(mirage).toEqual({ faults: 16, messages: 30, holds: 15 });
    expect(mirage.faults * 4).toBeLessThanOrEqual(ivy.faults); // ~5 stores per acquisition instead of ~1
    expect(mirage.messages * 4).toBeLessThanOrEqual(ivy.messages);
  });

  it('prefetch: a sequential scan of 32 units takes 7 faults instead of 32', async () => {
    const scan = async (protocol: string) => {
      const c = cluster(protocol, 2, protocol.includes('prefetch') ? { prefetchUnits: 4 } : {});
      for (let u = 0; u < 32; u++) await c.dsm[0].fault(u, 'write'); // node 0 owns and has written every unit
      const before = c.sent();
      for (let u = 0; u < 32; u++) {
        if (!c.stores[1].can(u, 'read')) await c.dsm[1].fault(u, 'read');
        await c.settle();
        expect(c.stores[1].load32(u, 0)).toBe(0);
      }
      return { faults: c.dsm[1].stats().readFaults, messages: c.sent() - before, s: c.dsm[1].stats(), owner: c.dsm[0].stats() };
    };
    const ivy = await scan('ivy-dynamic');
    expect(ivy).toMatchObject({ faults: 32, messages: 64 });
    const pf = await scan('ivy-dynamic+prefetch');
    // Faults at units 0, 5, 10, ..., 30: one request each, one copy per unit (7 pages + 25 prefetches),
    // and the fault at 30 also brings 32..34, which node 0 owns but never touched (zero copies, no bytes).
    expect(pf).toMatchObject({ faults: 7, messages: 7 + 32 + 3 });
    expect(pf.s.messagesReceived.prefetch).toEqual({ count: 28, bytes: 25 * 4096 });
    expect(pf.s.pushesInstalled).toBe(28);
    expect(pf.owner.prefetchesSent).toBe(28);
  });

  it('own-read: a read followed by a write is one fault instead of two', async () => {
    for (const [protocol, faults, messages] of [['ivy-dynamic', 2, 4], ['ivy-dynamic+own-read', 1, 2]] as const) {
      const c = cluster(protocol, 2);
      await c.dsm[0].fault(9, 'write');
      const before = c.sent();
      if (!c.stores[1].can(9, 'read')) await c.dsm[1].fault(9, 'read');
      if (!c.stores[1].can(9, 'write')) await c.dsm[1].fault(9, 'write');
      await c.settle();
      expect({ faults: c.total('readFaults') + c.total('writeFaults') - 1, messages: c.sent() - before }, protocol).toEqual({ faults, messages });
      expect(c.stores[0].rightsOf(9), protocol).toBe('none');
    }
  });

  it('home-based: the home moves to the node that writes the unit most, and its faults get cheaper', async () => {
    const c = cluster('home-based', 3, { homeMigrateAfter: 3 });
    const u = 3; // home 3 mod 3 = node 0
    const round = async () => {
      const before = c.sent();
      const toOldHome = c.dsm[0].stats().messagesReceived;
      await c.dsm[2].fault(u, 'write');
      c.stores[2].store32(u, 0, c.stores[2].load32(u, 0)! + 1);
      await c.dsm[1].fault(u, 'read');
      await c.settle();
      const received = Object.values(c.dsm[0].stats().messagesReceived).reduce((a, s) => a + s.count, 0) - Object.values(toOldHome).reduce((a, s) => a + s.count, 0);
      return { messages: c.sent() - before, toNode0: received, value: c.stores[1].load32(u, 0) };
    };
    // Round 1: grant from the lazy home (2), read: request + recall + read grant + page (4).
    expect(await round()).toEqual({ messages: 6, toNode0: 3, value: 1 });
    // Round 2: write: request + grant, invalidate + ack of node 1's copy (4); read: 4 again.
    expect(await round()).toEqual({ messages: 8, toNode0: 3, value: 2 });
    expect(c.dsm.map((n) => n.managerOf(u))).toEqual([0, 0, 0]);
    // Round 3: node 2's third write: the grant carries the home.
    const r3 = await round();
    expect(c.dsm[0].stats().homeMigrations).toBe(1);
    expect(c.dsm.map((n) => n.managerOf(u))).toEqual([2, 2, 2]); // node 1 learned it from the page
    expect(r3).toEqual({ messages: 7, toNode0: 2, value: 3 }); // write as in round 2; the read asks node 0, which forwards once (no recall)
    // From now on node 2 is home and owner: a write is an upgrade in place, a read two messages; node 0 sees nothing.
    for (let i = 4; i <= 6; i++) expect(await round()).toEqual({ messages: 4, toNode0: 0, value: i });
  });

  it('write-update: a read-mostly unit gets updates instead of invalidate + refetch by every reader', async () => {
    const rounds = async (protocol: string) => {
      const c = cluster(protocol, 4);
      await c.dsm[0].fault(1, 'write');
      const per: { messages: number; readFaults: number }[] = [];
      for (let r = 1; r <= 5; r++) {
        const before = { m: c.sent(), f: c.total('readFaults') };
        if (!c.stores[0].can(1, 'write')) await c.dsm[0].fault(1, 'write');
        c.stores[0].store32(1, 0, r);
        for (const n of [1, 2, 3]) {
          if (!c.stores[n].can(1, 'read')) await c.dsm[n].fault(1, 'read');
          expect(c.stores[n].load32(1, 0)).toBe(r);
          await c.settle();
        }
        per.push({ messages: c.sent() - before.m, readFaults: c.total('readFaults') - before.f });
      }
      return { per, updates: c.dsm[0].stats().updatesSent };
    };
    const ivy = await rounds('ivy-dynamic');
    const upd = await rounds('ivy-dynamic+update');
    // IVY, every round after the first: 3 invalidations + 3 acks, then 3 readers fault (request + page each).
    expect(ivy.per.slice(1)).toEqual(Array(4).fill({ messages: 12, readFaults: 3 }));
    // Update: the same 3 revocations + acks, one reader faults (request + page), the other two get an update.
    expect(upd.per.slice(1)).toEqual(Array(4).fill({ messages: 10, readFaults: 1 }));
    expect(upd.updates).toBe(8);
  });

  it('write-update: the sharers to update move with ownership (two writers, then two readers, per round)', async () => {
    const rounds = async (protocol: string) => {
      const c = cluster(protocol, 4);
      const per: { messages: number; readFaults: number }[] = [];
      for (let r = 1; r <= 6; r++) {
        const before = { m: c.sent(), f: c.total('readFaults') };
        for (const w of [0, 1]) { // both writers write in every round, before anyone reads
          if (!c.stores[w].can(2, 'write')) await c.dsm[w].fault(2, 'write');
          c.stores[w].store32(2, 0, r);
        }
        for (const n of [2, 3]) {
          if (!c.stores[n].can(2, 'read')) await c.dsm[n].fault(2, 'read');
          expect(c.stores[n].load32(2, 0)).toBe(r);
          await c.settle();
        }
        per.push({ messages: c.sent() - before.m, readFaults: c.total('readFaults') - before.f });
      }
      return per.slice(2);
    };
    // IVY: node 0 takes the unit from node 1 and invalidates both readers (2 + 4), node 1 takes it
    // back (2), both readers fault (2 x 2).
    expect(await rounds('ivy-dynamic')).toEqual(Array(4).fill({ messages: 12, readFaults: 2 }));
    // Update: node 0 revoked the readers, then lost the unit to node 1 before anyone read: the grant
    // carries them to node 1, which updates one reader when the other faults (8 + 2 + 1).
    expect(await rounds('ivy-dynamic+update')).toEqual(Array(4).fill({ messages: 11, readFaults: 1 }));
  });
});
