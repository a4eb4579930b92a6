import { AgentCluster, protocolNames, type ProtocolKnobs } from '@unum/dsm';
import { afterAll, describe, expect, it } from 'vitest';

type Mixed = { incs: Record<string, number>; violations: string[] };
type Case = readonly [protocol: string, placement: 'node0' | 'interleaved' | 'first-touch', unitBytes: number, knobs?: ProtocolKnobs];

// The default run covers the three IVY managers, home-based with migration and
// one base carrying three modifiers; UNUM_SLOW=1 runs every valid protocol name.
const short: Case[] = [
  ['ivy-dynamic', 'node0', 4096],
  ['ivy-central', 'interleaved', 16384],
  ['ivy-fixed', 'first-touch', 65536],
  ['home-based', 'interleaved', 4096, { homeMigrateAfter: 2 }],
  ['ivy-dynamic+prefetch+update+mirage', 'node0', 16384, { mirageMs: 0.5, prefetchUnits: 2 }],
];
const every: Case[] = protocolNames()
  .filter((p) => !short.some((c) => c[0] === p))
  .map((p, i) => [p, (['node0', 'interleaved', 'first-touch'] as const)[i % 3], 4096, p.startsWith('home') ? { homeMigrateAfter: 2 } : undefined]);

// Three agent processes over real gRPC on 127.0.0.1: every node increments
// shared per-unit counters (write fault + local RMW) and reads them; totals
// must be exact, each node's own slot exact, and counters never go backwards.
describe('DSM agents over gRPC (3 processes, loopback)', () => {
  const clusters: AgentCluster[] = [];
  afterAll(async () => {
    await Promise.all(clusters.map((c) => c.close()));
  });

  for (const [protocol, placement, unitBytes, knobs] of process.env.UNUM_SLOW ? [...short, ...every] : short) {
    it(`${protocol}, ${placement}, ${unitBytes / 1024} KiB units: exact counters`, async () => {
      const c = await AgentCluster.start({ nodes: 3, protocol, placement, unitBytes, units: 64, knobs });
      clusters.push(c);
      const units = [3, 4, 5, 17];
      const runs = await Promise.all(
        c.agents.map((a) => a.call<Mixed>('mixed', { seed: 11 + a.id, iters: 150, units, readShare: 0.4 })),
      );
      for (const r of runs) expect(r.violations).toEqual([]);
      const counters = await c.agents[1].call<Record<string, number[]>>('counters', { units });
      for (const u of units) {
        const perNode = runs.map((r) => r.incs[u] ?? 0);
        expect(counters[u], `unit ${u}`).toEqual([perNode.reduce((a, b) => a + b, 0), ...perNode]);
      }
      const stats = await Promise.all(c.agents.map((a) => a.call<{ protocolErrors: number; rejected: number; readFaults: number; writeFaults: number }>('stats')));
      for (const s of stats) expect({ errors: s.protocolErrors, rejected: s.rejected }).toEqual({ errors: 0, rejected: 0 });
      expect(stats.reduce((a, s) => a + s.readFaults + s.writeFaults, 0)).toBeGreaterThan(10); // own-read turns write faults into read faults
      await c.close();
    });
  }
});
