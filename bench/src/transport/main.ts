/**
 * Transport bench (issue 16 item 2f): two DSM agent processes on loopback,
 * side by side in one run, REPS times interleaved (medians printed):
 *  1. the raw 4 KiB request/response round trip on the same gRPC transport
 *     (echo service on the agent's DSM server) vs the read fault the DSM sees
 *     for a 4 KiB unit between the same two processes, p50/p99 and the ratio
 *     against the 1.5x bar; quiet, then with spinning threads filling every
 *     core on both nodes at normal priority and at the vCPU workers' nice;
 *     with the link's fault lane (default) and without (one FIFO);
 *  2. head-of-line: a read fault issued right after a batch of prefetching
 *     reads (1 MiB of pages queued on the same link), with the fault lane and
 *     chunked batches (default) and without.
 * Run: `npm run bench -- transport` (after `npm run build`).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { AgentCluster } from '@unum/dsm';
import { VCPU_NICE } from '@unum/node-agent';
import { REPO } from '../linux-files.js';
import { fmt, pct } from '../dsm/stats.js';

const N = Number(process.env.UNUM_BENCH_TRANSPORT_N ?? 300);
const REPS = Number(process.env.UNUM_BENCH_REPS ?? 3);
const HOL_TRIALS = Number(process.env.UNUM_BENCH_TRANSPORT_HOL ?? 20);
const ROUNDS = 6; // echo and fault samples alternate in this many chunks, so drift hits both
const UNIT = 4096;
const BAR = 1.5;
const PREFETCH = 64; // units per prefetching read: 1 + 64 pages
const BATCH = 4; // prefetching reads in flight: 4 x 65 x 4 KiB ~ 1 MiB on the link
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const median = (xs: number[]) => pct(xs, 0.5);
const summary = (xs: number[]) => ({ p50: pct(xs, 0.5), p99: pct(xs, 0.99) });
const laneName = (lanes: boolean) => (lanes ? 'fault lane' : 'one FIFO');

/** Quiet, then spinning threads filling every core on each node (the vCPUs of a busy guest), at normal priority and at the vCPU workers' nice. */
const cores = availableParallelism();
const phases = [
  { name: 'quiet', threadsPerNode: 0, nice: 0 },
  { name: `cores full (${cores}/node), nice 0`, threadsPerNode: cores, nice: 0 },
  { name: `cores full (${cores}/node), nice ${VCPU_NICE}`, threadsPerNode: cores, nice: VCPU_NICE },
];

interface Sample { phase: string; lanes: boolean; raw: { p50: number; p99: number }; fault: { p50: number; p99: number } }

/** Raw round trips and read faults (node 1 reads units node 0 owns), interleaved. */
async function rawVsFault(c: AgentCluster, units: number[]): Promise<{ raw: number[]; fault: number[] }> {
  const raw: number[] = [];
  const fault: number[] = [];
  const chunk = Math.ceil(units.length / ROUNDS);
  for (let i = 0; i < units.length; i += chunk) {
    raw.push(...(await c.agents[1].call<{ us: number[] }>('echo', { peer: 0, count: chunk, replyBytes: UNIT, depth: 1 })).us);
    fault.push(...(await c.agents[1].call<number[]>('read', { units: units.slice(i, i + chunk) })));
  }
  return { raw, fault };
}

async function latencyPart(lanes: boolean): Promise<Sample[]> {
  const c = await AgentCluster.start({ nodes: 2, protocol: 'ivy-dynamic', unitBytes: UNIT, units: 8192, placement: 'node0', lanes });
  const out: Sample[] = [];
  try {
    await c.agents[0].call('write', { units: range(0, (phases.length + 1) * N) }); // node 0 owns them all
    await c.agents[1].call('read', { units: range(phases.length * N, 100) }); // warm the DSM stream
    await c.agents[1].call('echo', { peer: 0, count: 100, replyBytes: UNIT, depth: 1 }); // and the echo stream
    for (const [i, ph] of phases.entries()) {
      await Promise.all(c.agents.map((a) => a.call('spin', { threads: ph.threadsPerNode, nice: ph.nice })));
      const { raw, fault } = await rawVsFault(c, range(i * N, N));
      out.push({ phase: ph.name, lanes, raw: summary(raw), fault: summary(fault) });
    }
    await Promise.all(c.agents.map((a) => a.call('spin', { threads: 0, nice: 0 })));
  } finally {
    await c.close();
  }
  return out;
}

interface HolSample { lanes: boolean; probe: { p50: number; p99: number }; batch: { p50: number; p99: number }; probeFirst: number; trials: number }

/** Node 1 reads BATCH prefetching units, then the probe (whose followers it already shares: no copies ride with it). */
async function holPart(lanes: boolean): Promise<HolSample> {
  const per = (BATCH + 2) * (PREFETCH + 1); // the batch, the probe, and the copies reading probe + 1 brings (up to probe + 65)
  const c = await AgentCluster.start({
    nodes: 2, protocol: 'ivy-dynamic+prefetch', knobs: { prefetchUnits: PREFETCH }, unitBytes: UNIT, units: HOL_TRIALS * per, placement: 'node0', lanes,
  });
  const probeUs: number[] = [];
  const batchUs: number[] = [];
  let probeFirst = 0;
  try {
    await c.agents[0].call('write', { units: range(0, HOL_TRIALS * per) });
    for (let t = 0; t < HOL_TRIALS; t++) {
      const base = t * per;
      const probe = base + BATCH * (PREFETCH + 1);
      await c.agents[1].call('read', { units: [probe + 1] }); // node 1 shares probe+1.., so the probe's reply comes alone
      const r = await c.agents[1].call<{ probeUs: number; bulkUs: number; probeFirst: boolean }>('readBehindBulk', {
        bulk: range(0, BATCH).map((b) => base + b * (PREFETCH + 1)), probe,
      });
      probeUs.push(r.probeUs);
      batchUs.push(r.bulkUs);
      if (r.probeFirst) probeFirst++;
    }
  } finally {
    await c.close();
  }
  return { lanes, probe: summary(probeUs), batch: summary(batchUs), probeFirst, trials: HOL_TRIALS };
}

const load = [loadavg()[0]!];
const latency: Sample[] = [];
const hol: HolSample[] = [];
for (let rep = 0; rep < REPS; rep++) {
  for (const lanes of rep % 2 === 0 ? [true, false] : [false, true]) { // interleaved: drift hits both
    latency.push(...(await latencyPart(lanes)));
    hol.push(await holPart(lanes));
  }
  load.push(loadavg()[0]!);
}

console.log(`\n-- raw 4 KiB round trip vs read fault: 2 agents on 127.0.0.1, ivy-dynamic, ${N} samples each, ${cores} cores; medians of ${REPS} reps`);
const rows = [];
for (const ph of phases) {
  for (const lanes of [true, false]) {
    const s = latency.filter((x) => x.phase === ph.name && x.lanes === lanes);
    const m = (f: (x: Sample) => number) => median(s.map(f));
    const row = { phase: ph.name, lanes, raw50: m((x) => x.raw.p50), raw99: m((x) => x.raw.p99), fault50: m((x) => x.fault.p50), fault99: m((x) => x.fault.p99), ratio50: m((x) => x.fault.p50 / x.raw.p50), ratio99: m((x) => x.fault.p99 / x.raw.p99) };
    rows.push(row);
    console.log(
      `${`${ph.name}, ${laneName(lanes)}`.padEnd(44)} raw p50 ${fmt(row.raw50).padStart(9)} p99 ${fmt(row.raw99).padStart(9)} | fault p50 ${fmt(row.fault50).padStart(9)} p99 ${fmt(row.fault99).padStart(9)}` +
        ` | fault/raw p50 ${row.ratio50.toFixed(2)}x p99 ${row.ratio99.toFixed(2)}x ${row.ratio50 <= BAR ? '(<= 1.5x)' : '(> 1.5x: MISSED)'}`,
    );
  }
}

console.log(`\n-- head-of-line: a read fault issued behind ${BATCH} prefetching reads (${BATCH} x ${PREFETCH + 1} x 4 KiB = ${((BATCH * (PREFETCH + 1) * UNIT) / 2 ** 20).toFixed(2)} MiB) on the same link, ${HOL_TRIALS} trials x ${REPS} reps`);
const quiet = rows.find((r) => r.phase === 'quiet' && r.lanes)!.fault50;
for (const lanes of [false, true]) {
  const s = hol.filter((h) => h.lanes === lanes);
  const probe50 = median(s.map((h) => h.probe.p50));
  const name = lanes ? 'fault lane + batches in turns (default)' : 'one FIFO, batch at once';
  console.log(
    `${name.padEnd(44)} fault p50 ${fmt(probe50).padStart(9)} p99 ${fmt(median(s.map((h) => h.probe.p99))).padStart(9)} | batch p50 ${fmt(median(s.map((h) => h.batch.p50)))}` +
      ` | fault done before the batch ${s.reduce((a, h) => a + h.probeFirst, 0)}/${s.reduce((a, h) => a + h.trials, 0)} | fault p50 = ${(probe50 / quiet).toFixed(1)}x a quiet fault`,
  );
}
console.log(`\nload average (1 min) at start and after each rep: ${load.map((l) => l.toFixed(2)).join(', ')}`);
writeFileSync(path.join(REPO, 'bench/results/transport.json'), JSON.stringify({ when: new Date().toISOString(), n: N, reps: REPS, vcpuNice: VCPU_NICE, load, rows, latency, hol }, null, 2) + '\n');
const missed = rows.filter((r) => r.lanes && r.phase !== phases[1]!.name && r.ratio50 > BAR);
console.log(missed.length === 0 ? `read fault p50 <= ${BAR}x raw with the fault lane, quiet and with niced spinners: met` : `bar missed in: ${missed.map((r) => r.phase).join(', ')}`);
process.exitCode = missed.length === 0 ? 0 : 1;
