/**
 * A DSM test/bench agent process: DsmNode + gRPC transport + MemoryPageStore,
 * driven by its parent over the IPC channel (see AgentCluster). It exits when
 * the parent goes away, so a crashed test never leaves agents behind.
 */
import { pino } from 'pino';
import { DsmNode } from '../dsm-node.js';
import { GrpcTransport } from '../grpc/grpc-transport.js';
import { MemoryPageStore } from '../memory-page-store.js';
import { nextTurn, type Placement } from '../options.js';
import { protocolSpec, type ProtocolKnobs } from '../protocols/index.js';
import { seededRandom } from '../testing/seeded-scheduler.js';
import { echoRounds, registerEcho } from './echo.js';
import { Spinners } from './spinners.js';

export interface AgentConfig {
  id: number;
  nodes: number;
  protocol: string;
  unitBytes: number;
  units: number;
  placement: Placement;
  secret: string;
  /** Knobs set for the protocol (unset: the variant's defaults). */
  knobs?: ProtocolKnobs;
  /** GrpcTransportOptions.lanes (default true). */
  lanes?: boolean;
}

const cfg = JSON.parse(process.argv[2]) as AgentConfig;
const logger = pino({ level: process.env.UNUM_LOG ?? 'warn' }, pino.destination(2));
const store = new MemoryPageStore(cfg.unitBytes);
const transport = await GrpcTransport.start({ self: cfg.id, nodes: cfg.nodes, secret: cfg.secret, logger, register: registerEcho, lanes: cfg.lanes });
const node = new DsmNode({ ...cfg, protocol: protocolSpec(cfg.protocol, cfg.knobs), store, transport, logger, bulkYield: cfg.lanes === false ? undefined : nextTurn });
let peers: Record<number, string> = {};
const spinners = new Spinners();

/** Fault until the access succeeds (rights can be taken again before we use them, as on a real vCPU). */
async function access<T>(unit: number, kind: 'read' | 'write', op: () => T | undefined): Promise<T> {
  for (let i = 0; i < 10_000; i++) {
    await node.fault(unit, kind);
    const r = op();
    if (r !== undefined) return r;
  }
  throw new Error(`unit ${unit}: no ${kind} access after 10000 faults`);
}

const timed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return (performance.now() - t) * 1000;
};

/**
 * Increments per-unit counters (word 0, plus this node's own slot at 8+4*id)
 * and reads counters, which must never go backwards at this node.
 */
async function mixed(a: { seed: number; iters: number; units: number[]; readShare: number }) {
  const rnd = seededRandom(a.seed);
  const incs: Record<number, number> = {};
  const seen: Record<number, number> = {};
  const violations: string[] = [];
  for (let i = 0; i < a.iters; i++) {
    const u = a.units[Math.floor(rnd() * a.units.length)];
    if (rnd() < a.readShare) {
      const [v, mine] = await access(u, 'read', () => (store.can(u, 'read') ? [store.load32(u, 0)!, store.load32(u, 8 + 4 * cfg.id)!] : undefined));
      if (v < (seen[u] ?? 0)) violations.push(`unit ${u}: counter went back from ${seen[u]} to ${v}`);
      if (mine !== (incs[u] ?? 0)) violations.push(`unit ${u}: own slot ${mine}, did ${incs[u] ?? 0}`);
      seen[u] = v;
    } else {
      await access(u, 'write', () => (store.can(u, 'write') ? (store.add32(u, 0, 1), store.add32(u, 8 + 4 * cfg.id, 1)) : undefined));
      incs[u] = (incs[u] ?? 0) + 1;
      seen[u] = Math.max(seen[u] ?? 0, (incs[u] ?? 0));
    }
  }
  return { incs, violations };
}

const commands: Record<string, (a: any) => Promise<unknown>> = {
  peers: async (a: { peers: Record<number, string> }) => {
    peers = a.peers;
    transport.connect(peers);
    await transport.ready();
    return true;
  },
  /** Write a stamp into each unit (take ownership); latency per fault in µs. */
  write: async (a: { units: number[] }) => {
    const us: number[] = [];
    for (const u of a.units) us.push(await timed(() => access(u, 'write', () => (store.store32(u, 4, u + 1) ? true : undefined))));
    return us;
  },
  /** Read each unit; latency per fault in µs. */
  read: async (a: { units: number[] }) => {
    const us: number[] = [];
    for (const u of a.units) us.push(await timed(() => access(u, 'read', () => store.load32(u, 4))));
    return us;
  },
  /**
   * Read `bulk` units with all faults outstanding (each read asks for prefetch copies when the protocol
   * prefetches: a batch of pages on the link) and, once those requests are sent, `probe`; the probe's
   * latency in µs and when the batch finished relative to it.
   */
  readBehindBulk: async (a: { bulk: number[]; probe: number }) => {
    const t0 = performance.now();
    let bulkDone = 0;
    const batch = Promise.all(a.bulk.map((u) => access(u, 'read', () => store.load32(u, 4)))).then(() => (bulkDone = performance.now()));
    const probeUs = await timed(() => access(a.probe, 'read', () => store.load32(a.probe, 4)));
    const probeDone = performance.now();
    await batch;
    return { probeUs, bulkUs: (bulkDone - t0) * 1000, probeFirst: probeDone <= bulkDone };
  },
  /** Start `threads` spinning worker threads at `nice` (0: normal priority), or stop them (threads 0). */
  spin: async (a: { threads: number; nice: number }) => spinners.set(a.threads, a.nice),
  /** Read units with `depth` faults outstanding; total ms. */
  readMany: async (a: { units: number[]; depth: number }) => {
    let next = 0;
    const worker = async () => {
      while (next < a.units.length) {
        const u = a.units[next++];
        await access(u, 'read', () => store.load32(u, 4));
      }
    };
    return timed(() => Promise.all(Array.from({ length: a.depth }, worker))).then((us) => us / 1000);
  },
  counters: async (a: { units: number[] }) => {
    const out: Record<number, number[]> = {};
    for (const u of a.units) {
      out[u] = await access(u, 'read', () =>
        store.can(u, 'read') ? [store.load32(u, 0)!, ...Array.from({ length: cfg.nodes }, (_, n) => store.load32(u, 8 + 4 * n)!)] : undefined);
    }
    return out;
  },
  mixed,
  /** Increment this node's own word of `unit` `iters` times, `gapMs` apart (a vCPU that keeps storing); total ms. */
  paced: async (a: { unit: number; iters: number; gapMs: number }) => {
    const word = 8 + 4 * cfg.id;
    return timed(async () => {
      for (let i = 0; i < a.iters; i++) {
        await access(a.unit, 'write', () => (store.can(a.unit, 'write') ? store.add32(a.unit, word, 1) : undefined));
        await new Promise((r) => setTimeout(r, a.gapMs));
      }
    }).then((us) => us / 1000);
  },
  echo: (a: { peer: number; count: number; replyBytes: number; depth: number }) => echoRounds(peers[a.peer], a.count, a.replyBytes, a.depth),
  stats: async () => ({ ...node.stats(), protocolErrors: node.protocolErrors }),
  pageStats: async (a: { top: number }) => node.pageStats(a.top),
};

process.on('message', (msg: { seq: number; cmd: string; args: unknown }) => {
  const run = commands[msg.cmd];
  (run ? run(msg.args) : Promise.reject(new Error(`unknown command ${msg.cmd}`))).then(
    (result) => process.send!({ seq: msg.seq, result }),
    (err: Error) => process.send!({ seq: msg.seq, error: err.message }),
  );
});
process.on('disconnect', () => void node.close().finally(() => process.exit(0)));
process.send!({ seq: -1, result: { port: transport.port } });
