/**
 * DSM variants side by side: each access pattern runs on 4 agent processes on
 * loopback (4 KiB units), once per variant, with the base variant as the
 * baseline in the same run. Each variant runs the pattern once to warm up and
 * then RUNS times on fresh units; every column is the median over those runs.
 * Faults and messages are counters (nearly steady); times are wall clock on a
 * noisy machine. Ratios are variant / base.
 * Run: `npm run bench -w @unum/bench -- dsm-variants` (after `npm run build`).
 */
import { AgentCluster, type DsmStats, type ProtocolKnobs } from '@unum/dsm';

const UNIT = 4096;
const ROUNDS = Number(process.env.UNUM_BENCH_DSM_ROUNDS ?? 10);
const RUNS = Number(process.env.UNUM_BENCH_DSM_RUNS ?? 3);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
type Totals = { faults: number; messages: number; bytes: number };

async function totals(c: AgentCluster): Promise<Totals> {
  const all = await Promise.all(c.agents.map((a) => a.call<DsmStats>('stats')));
  const t: Totals = { faults: 0, messages: 0, bytes: 0 };
  for (const s of all) {
    t.faults += s.readFaults + s.writeFaults;
    for (const m of Object.values(s.messagesSent)) { t.messages += m.count; t.bytes += m.bytes; }
  }
  return t;
}

/** One access pattern on units `o .. o + 999`: `setup` is not measured, `run` is. */
interface Pattern {
  name: string;
  variants: [protocol: string, knobs?: ProtocolKnobs][];
  setup(c: AgentCluster, o: number): Promise<void>;
  run(c: AgentCluster, o: number): Promise<void>;
}

const patterns: Pattern[] = [
  {
    name: 'false sharing: 2 nodes each store 100 times to their own word of 1 unit, 1 ms apart',
    variants: [['ivy-dynamic'], ['ivy-dynamic+mirage', { mirageMs: 2 }], ['ivy-dynamic+mirage', { mirageMs: 10 }]],
    setup: async () => undefined,
    run: async (c, o) => {
      await Promise.all([1, 2].map((a) => c.agents[a].call('paced', { unit: o, iters: 100, gapMs: 1 })));
      const words = (await c.agents[0].call<Record<string, number[]>>('counters', { units: [o] }))[o];
      if (words[2] !== 100 || words[3] !== 100) throw new Error(`false sharing: lost stores, words ${words.join(' ')}`);
    },
  },
  {
    name: 'sequential scan: node 1 reads 512 units node 0 wrote',
    variants: [['ivy-dynamic'], ['ivy-dynamic+prefetch', { prefetchUnits: 4 }], ['ivy-dynamic+prefetch', { prefetchUnits: 16 }]],
    setup: async (c, o) => void (await c.agents[0].call('write', { units: range(o, 512) })),
    run: async (c, o) => void (await c.agents[1].call('read', { units: range(o, 512) })),
  },
  {
    name: 'read then write: node 1 reads, then writes, 256 units node 0 wrote',
    variants: [['ivy-dynamic'], ['ivy-dynamic+own-read']],
    setup: async (c, o) => void (await c.agents[0].call('write', { units: range(o, 256) })),
    run: async (c, o) => {
      await c.agents[1].call('read', { units: range(o, 256) });
      await c.agents[1].call('write', { units: range(o, 256) });
    },
  },
  {
    name: `read-mostly: node 0 writes 16 units, nodes 1-3 read them, ${ROUNDS} rounds`,
    variants: [['ivy-dynamic'], ['ivy-dynamic+update'], ['ivy-fixed'], ['ivy-fixed+update']],
    setup: async (c, o) => void (await c.agents[0].call('write', { units: range(o, 16) })),
    run: async (c, o) => {
      for (let r = 0; r < ROUNDS; r++) {
        await c.agents[0].call('write', { units: range(o, 16) });
        for (const a of [1, 2, 3]) await c.agents[a].call('read', { units: range(o, 16) });
      }
    },
  },
  {
    name: `dominant writer: node 3 writes 16 units homed elsewhere, node 1 reads them, ${ROUNDS} rounds`,
    variants: [['ivy-fixed'], ['home-based', { homeMigrateAfter: 1_000_000 }], ['home-based', { homeMigrateAfter: 3 }]],
    setup: async () => undefined,
    run: async (c, o) => {
      for (let r = 0; r < ROUNDS; r++) {
        await c.agents[3].call('write', { units: range(o + 1, 16) }); // homes o+1 mod 4 ..: mostly not node 3
        await c.agents[1].call('read', { units: range(o + 1, 16) });
      }
    },
  },
];

const label = (p: string, k?: ProtocolKnobs) => (k ? `${p} ${Object.entries(k).map(([a, b]) => `${a}=${b}`).join(' ')}` : p);

for (const pattern of patterns) {
  console.log(`\n-- ${pattern.name} (4 agents on 127.0.0.1, ${UNIT / 1024} KiB units; ratios vs ${pattern.variants[0][0]})`);
  let base: (Totals & { ms: number }) | undefined;
  for (const [protocol, knobs] of pattern.variants) {
    const c = await AgentCluster.start({ nodes: 4, protocol, unitBytes: UNIT, units: 1000 * (RUNS + 1), placement: 'node0', knobs });
    try {
      const runs: (Totals & { ms: number })[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const o = 1000 * i;
        await pattern.setup(c, o);
        const before = await totals(c);
        const t0 = performance.now();
        await pattern.run(c, o);
        const ms = performance.now() - t0;
        await new Promise((r) => setTimeout(r, 20)); // pushed copies still on the wire
        const after = await totals(c);
        if (i > 0) runs.push({ ms, faults: after.faults - before.faults, messages: after.messages - before.messages, bytes: after.bytes - before.bytes });
      }
      const med = (k: keyof Totals | 'ms') => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
      const r = { ms: med('ms'), faults: med('faults'), messages: med('messages'), bytes: med('bytes') };
      base ??= r;
      const x = (v: number, b: number) => (b === 0 ? '   -' : `${(v / b).toFixed(2)}x`);
      console.log(
        `${label(protocol, knobs).padEnd(38)} ${r.ms.toFixed(0).padStart(6)} ms (${x(r.ms, base.ms)})  faults ${String(r.faults).padStart(5)} (${x(r.faults, base.faults)})` +
          `  msgs ${String(r.messages).padStart(6)} (${x(r.messages, base.messages)})  MB ${(r.bytes / 1e6).toFixed(2).padStart(6)} (${x(r.bytes, base.bytes)})`,
      );
    } finally {
      await c.close();
    }
  }
}
