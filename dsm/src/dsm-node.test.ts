import { describe, expect, it } from 'vitest';
import { placements } from './options.js';
import { protocolNames, registerProtocol, type ProtocolKnobs } from './protocols/index.js';
import type { DsmStats } from './stats.js';
import { SimCluster } from './testing/sim-cluster.js';

// A variant made only of the older hooks, registered from one place like any
// other: ownership-on-read, a Mirage-style hold and fault-per-unit prefetch.
registerProtocol('test-migratory', ({ nodes }) => ({
  name: 'test-migratory',
  manager: () => undefined,
  home: (unit) => unit % nodes,
  readTransfersOwnership: () => true,
  holdMs: (_unit, _access, heldForMs) => (heldForMs < 0.05 ? 1 : 0),
  afterFault: (unit, access) => (access === 'read' ? [{ unit: unit + 1, access: 'read' as const }] : []),
}));

const ivy = ['ivy-central', 'ivy-fixed', 'ivy-dynamic'];

/** Each base and each modifier alone, with the full matrix; `knobs` push a variant to its extreme. */
/** The counter that shows a variant actually did its thing in the simulated runs. */
const effect: Record<string, keyof DsmStats> = {
  'home-based': 'recalls', 'ivy-dynamic+own-read': 'requests', 'ivy-central+prefetch': 'pushesInstalled',
  'ivy-fixed+update': 'pushesInstalled', 'ivy-dynamic+mirage': 'holds',
};

const full: [string, ProtocolKnobs?][] = [
  ...ivy.map((p): [string] => [p]),
  ['home-based'],
  ['home-based', { homeMigrateAfter: 1 }], // the home moves on nearly every remote write
  ['ivy-dynamic+own-read'],
  ['ivy-central+prefetch', { prefetchUnits: 2 }],
  ['ivy-fixed+update'],
  ['ivy-dynamic+mirage', { mirageMs: 0.5 }],
  ['test-migratory'],
];

function sim(protocol: string, knobs: ProtocolKnobs | undefined, o: { seed: number; unitBytes: number; placement: (typeof placements)[number]; nodes: number; vcpus: number; ops: number; units: number; evictions?: number }) {
  return new SimCluster({
    seed: o.seed, protocol, knobs, placement: o.placement, unitBytes: o.unitBytes,
    nodes: o.nodes, vcpusPerNode: o.vcpus, opsPerVcpu: o.ops, units: o.units, evictions: o.evictions,
  });
}

describe('DsmNode on the seeded scheduler (SWMR + oracle after every step)', () => {
  it('lists every base, alone and with each allowed set of modifiers', () => {
    const names = protocolNames();
    expect(names).toEqual(expect.arrayContaining([...ivy, 'home-based', 'home-based+mirage', 'ivy-dynamic+own-read+prefetch+mirage', 'ivy-fixed+prefetch+update']));
    expect(names.filter((n) => n.includes('own-read') && n.includes('update'))).toEqual([]);
    expect(names.filter((n) => !n.startsWith('test-')).length).toBe(3 * 12 + 2);
  });

  for (const [protocol, knobs] of full) {
    for (const unitBytes of [4096, 16384, 65536]) {
      it(`${protocol}${knobs ? ` ${JSON.stringify(knobs)}` : ''}, ${unitBytes / 1024} KiB units, every placement, many seeds`, async () => {
        let ops = 0;
        const total = new Map<string, number>();
        for (const placement of placements) {
          for (let seed = 1; seed <= 12; seed++) {
            const s = sim(protocol, knobs, { seed: seed * 7919 + unitBytes, unitBytes, placement, nodes: 2 + (seed % 3), vcpus: 2, ops: 14, units: 3 });
            expect(await s.run(), `seed ${seed} ${placement}`).toEqual([]);
            ops += s.opsDone;
            for (const n of s.nodes) for (const [k, v] of Object.entries(n.stats())) if (typeof v === 'number') total.set(k, (total.get(k) ?? 0) + v);
          }
        }
        expect(ops).toBeGreaterThan(0);
        if (effect[protocol]) expect(total.get(effect[protocol]), effect[protocol]).toBeGreaterThan(0);
        if (knobs?.homeMigrateAfter === 1) expect(total.get('homeMigrations')).toBeGreaterThan(0);
        if (!protocol.includes('update') && !protocol.includes('prefetch')) expect(total.get('pushesInstalled')).toBe(0);
      });
    }
  }

  it('every valid protocol name (all modifier combinations), 4 KiB units, every placement', async () => {
    const names = protocolNames().filter((n) => !n.startsWith('test-'));
    for (const protocol of names) {
      const knobs = { ...(protocol.includes('mirage') ? { mirageMs: 0.3 } : {}), ...(protocol.startsWith('home') ? { homeMigrateAfter: 2 } : {}) };
      for (const placement of placements) {
        for (let seed = 1; seed <= 3; seed++) {
          const s = sim(protocol, knobs, { seed: seed * 104729, unitBytes: 4096, placement, nodes: 2 + (seed % 3), vcpus: 2, ops: 14, units: 4 });
          expect(await s.run(), `${protocol} seed ${seed} ${placement}`).toEqual([]);
        }
      }
    }
  });

  it('a single hot unit with many writers stays coherent (two writers racing), every name', async () => {
    for (const protocol of protocolNames()) {
      for (let seed = 1; seed <= (ivy.includes(protocol) ? 25 : 6); seed++) {
        const knobs = protocol.startsWith('home') ? { homeMigrateAfter: 1 } : undefined;
        const s = sim(protocol, knobs, { seed, unitBytes: 4096, placement: 'node0', nodes: 4, vcpus: 3, ops: 10, units: 1 });
        expect(await s.run(), `${protocol} seed ${seed}`).toEqual([]);
      }
    }
  });

  // Memory pressure: eviction events push owned units to random peers (which accept 70% of reservations)
  // and drop read copies, racing with faults, invalidations, forwarded requests and deferred work.
  const pushed: [string, ProtocolKnobs?][] = [
    ...ivy.map((p): [string] => [p]),
    ['ivy-dynamic+own-read'], ['ivy-central+prefetch', { prefetchUnits: 2 }], ['ivy-fixed+update'], ['ivy-dynamic+mirage', { mirageMs: 0.5 }],
    ['home-based'], // never pushes: evictions only drop copies
  ];
  for (const [protocol, knobs] of pushed) {
    it(`${protocol}: ownership push and dropped copies race with faults, every placement, many seeds`, async () => {
      const total = new Map<string, number>();
      let pushes = 0;
      for (const placement of placements) {
        for (let seed = 1; seed <= 16; seed++) {
          const s = sim(protocol, knobs, { seed: seed * 31337, unitBytes: 4096, placement, nodes: 2 + (seed % 3), vcpus: 2, ops: 16, units: 3, evictions: 40 });
          expect(await s.run(), `seed ${seed} ${placement}`).toEqual([]);
          pushes += s.pushes;
          for (const n of s.nodes) for (const [k, v] of Object.entries(n.stats())) if (typeof v === 'number') total.set(k, (total.get(k) ?? 0) + v);
        }
      }
      expect(total.get('ownerPushesReceived')).toBe(total.get('ownerPushesSent'));
      expect(total.get('ownerPushesSent')).toBe(pushes);
      if (protocol === 'home-based') expect(pushes).toBe(0);
      else {
        expect(pushes).toBeGreaterThan(20);
        expect(total.get('pushRefusals')).toBeGreaterThan(0);
      }
    });
  }
});
