import { describe, expect, it } from 'vitest';
import { placements } from './options.js';
import { protocolNames, registerProtocol } from './protocols/index.js';
import { SimCluster } from './testing/sim-cluster.js';

// A variant made only of hooks, registered from one place like any other: it
// proves the interface admits GiantVM's ownership-on-read, a Mirage-style hold
// and sequential prefetch without touching the core.
registerProtocol('test-migratory', ({ nodes }) => ({
  name: 'test-migratory',
  manager: () => undefined,
  home: (unit) => unit % nodes,
  readTransfersOwnership: () => true,
  holdMs: (_unit, _access, heldForMs) => (heldForMs < 0.05 ? 1 : 0),
  afterFault: (unit, access) => (access === 'read' ? [{ unit: unit + 1, access: 'read' as const }] : []),
}));

const variants = ['ivy-central', 'ivy-fixed', 'ivy-dynamic'];

describe('DsmNode on the seeded scheduler (SWMR + oracle after every step)', () => {
  it('registers the three IVY variants', () => {
    expect(protocolNames()).toEqual(expect.arrayContaining(variants));
  });

  for (const protocol of [...variants, 'test-migratory']) {
    for (const unitBytes of [4096, 16384, 65536]) {
      it(`${protocol}, ${unitBytes / 1024} KiB units, every placement, many seeds`, async () => {
        let ops = 0;
        for (const placement of placements) {
          for (let seed = 1; seed <= 12; seed++) {
            const sim = new SimCluster({
              seed: seed * 7919 + unitBytes, protocol, placement, unitBytes,
              nodes: 2 + (seed % 3), vcpusPerNode: 2, opsPerVcpu: 14, units: 3,
            });
            const errors = await sim.run();
            expect(errors, `seed ${seed} ${placement}`).toEqual([]);
            ops += sim.opsDone;
          }
        }
        expect(ops).toBeGreaterThan(0);
      });
    }
  }

  it('a single hot unit with many writers stays coherent (two writers racing)', async () => {
    for (const protocol of variants) {
      for (let seed = 1; seed <= 25; seed++) {
        const sim = new SimCluster({
          seed, protocol, placement: 'node0', unitBytes: 4096, nodes: 4, vcpusPerNode: 3, opsPerVcpu: 10, units: 1,
        });
        expect(await sim.run(), `${protocol} seed ${seed}`).toEqual([]);
      }
    }
  });
});
