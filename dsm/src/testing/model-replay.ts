import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { DsmNode } from '../dsm-node.js';
import { MemoryPageStore } from '../memory-page-store.js';
import type { DsmMessage } from '../messages.js';
import type { NodeTimers, Placement } from '../options.js';
import type { Access } from '../page-store.js';
import { protocolSpec, type ProtocolKnobs } from '../protocols/index.js';
import type { Transport } from '../transport.js';
import { codeState, mtypeOf, parseStateLine, stateDiff, unitEntry } from './model-state.js';

/**
 * Model → code conformance (docs/dsm.md "Model checking", conformance):
 * spin runs the Promela model (dsm/model/dsm.pml) as a random simulation with
 * TRACE, which prints every atomic step as event lines (`EV kind node peer
 * unit arg [message]`) and the state of every (node, unit) after it (`ST`).
 * `replayModelTrace` drives real DsmNodes through exactly those steps (the
 * same vCPU faults, the same message delivered off the same FIFO link, the
 * same deferred drain) and after every step compares each node's UnitEntry
 * with the model's state. Test-only: nothing here is on the production path.
 */

/** The model's directory (dsm/model), from the source or the built tree. */
export const modelDir = fileURLToPath(new URL('../../model/', import.meta.url));

/** Event kinds, as dsm/model/dsm-steps.pml numbers them (EV_*). */
export const EV = { FAULT: 1, DELIVER: 2, RECV: 3, DRAIN: 4, UNHOLD: 5, DROP: 6, ASK: 7, CREDIT: 8, PUSH: 9, GIVEUP: 10, ACCESS: 11 } as const;
const evName = Object.fromEntries(Object.entries(EV).map(([k, v]) => [v, k.toLowerCase()]));

export interface ModelEvent {
  kind: number;
  node: number;
  peer: number;
  unit: number;
  arg: number;
  msg?: string;
  line: string;
}

/** One atomic step of the model: its events (none for a vCPU dropping an access) and every (node, unit) after it. */
export interface ModelStep {
  events: ModelEvent[];
  /** state[node * U + unit][field index of stateFields] */
  state: number[][];
}

export interface ModelTrace {
  steps: ModelStep[];
  /** The model itself failed (an assertion in the simulation): the run is not a valid trace. */
  violation?: string;
}

/** Parses spin's simulation output (`spin -T -DTRACE ...`) into steps. */
export function parseModelTrace(text: string, nodes: number, units: number): ModelTrace {
  const steps: ModelStep[] = [];
  let events: ModelEvent[] = [];
  let state: number[][] = [];
  let violation: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^EV (\d+) (\d+) (\d+) (\d+) (\d+)(?: (\w+))?$/))) {
      if (state.length > 0) throw new Error(`model trace: event inside a state block: ${line}`);
      events.push({ kind: +m[1], node: +m[2], peer: +m[3], unit: +m[4], arg: +m[5], msg: m[6], line });
    } else if (line.startsWith('ST ')) {
      const { node: n, unit: u, values } = parseStateLine(line);
      if (n * units + u !== state.length) throw new Error(`model trace: state line out of order: ${line}`);
      state.push(values);
      if (state.length === nodes * units) {
        steps.push({ events, state });
        events = [];
        state = [];
      }
    } else if (/assertion violated|Error:/.test(line)) violation ??= line;
  }
  if (state.length > 0 || events.length > 0) violation ??= 'model trace ends inside a step';
  return { steps, violation };
}

/** The TypeScript protocol, placement and knobs a model configuration (its -D defines) stands for. */
export function protocolOf(defines: Record<string, number>): { protocol: string; placement: Placement; knobs: ProtocolKnobs } {
  for (const k of ['BUG_ACK_EARLY', 'BUG_NO_STALE']) {
    if (defines[k]) throw new RangeError(`model replay: ${k} is a seeded bug of the model, not a protocol of the code`);
  }
  const base = ['ivy-central', 'ivy-fixed', 'ivy-dynamic'][defines.MGR ?? 2];
  const mods = [defines.MIRAGE && 'mirage', defines.OWNREAD && 'own-read', defines.UPDATE && 'update', defines.PREFETCH && 'prefetch'].filter(Boolean);
  const placement = (['node0', 'interleaved', 'first-touch'] as const)[defines.PLACE ?? 0];
  if (!base || !placement) throw new RangeError(`model replay: bad MGR or PLACE in ${JSON.stringify(defines)}`);
  return { protocol: [base, ...mods].join('+'), placement, knobs: defines.PREFETCH ? { prefetchUnits: 1 } : {} };
}

/** Runs spin's random simulation of the model (seed `seed`) with TRACE; spin runs in a temp dir it leaves nothing in. */
export function runModel(defines: Record<string, number>, seed: number, model = join(modelDir, 'dsm.pml')): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'unum-replay-'));
  const args = ['-T', `-n${seed}`, '-DTRACE', ...Object.entries(defines).map(([k, v]) => `-D${k}=${v}`), model];
  return new Promise<string>((resolve, reject) => {
    const child = spawn('spin', args, { cwd: dir });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`spin exited ${code}: ${err}${out.slice(-2000)}`))));
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

export interface ReplayResult {
  /** Steps replayed and compared (all of them when there is no error). */
  steps: number;
  /** (node, unit) states compared. */
  compared: number;
  /** Messages delivered. */
  delivered: number;
  /** Events replayed, by kind (`deliver GRANT`, `drain`, `fault write`, ...): what the run covered. */
  covered: Record<string, number>;
  /** The first divergence between model and code, with the step and event it happened at. */
  error?: string;
}

const accessOf = (a: number): Access => (a === 1 ? 'read' : 'write');

/**
 * Drives DsmNodes through the model's steps and compares states after each.
 * `protocol` overrides the TypeScript protocol (a deliberate divergence in the tests).
 */
export async function replayModelTrace(trace: ModelTrace, defines: Record<string, number>, override?: { protocol?: string }): Promise<ReplayResult> {
  const N = defines.N;
  const U = defines.U;
  const cfg = protocolOf(defines);
  const protocol = override?.protocol ?? cfg.protocol;
  const queues = new Map<string, DsmMessage[]>();
  const handlers: Array<(from: number, m: DsmMessage) => void> = [];
  const drains: Array<Array<{ unit: number; fn: () => void }>> = [];
  const stores: MemoryPageStore[] = [];
  const nodes: DsmNode[] = [];
  const problems: string[] = [];
  let stepUnit = -1;
  let faultsOpen = 0;
  const logger = pino({ level: 'silent' });
  for (let id = 0; id < N; id++) {
    drains.push([]);
    const transport: Transport = {
      self: id,
      send: (to, m) => {
        const k = `${id}->${to}`;
        if (!queues.has(k)) queues.set(k, []);
        queues.get(k)!.push(structuredClone(m));
      },
      onMessage: (h) => void (handlers[id] = h),
      rejected: () => 0,
      close: async () => undefined,
    };
    // finish() schedules a drain with timers.defer: it becomes the model's drain step of the unit being handled.
    const timers: NodeTimers = {
      defer: (fn) => void drains[id].push({ unit: stepUnit, fn }),
      after: () => void problems.push('a timer (Mirage hold) was set: not replayed'),
      now: () => 0,
    };
    const store = new MemoryPageStore(4096); // immediate handshake: the model's handlers are atomic
    stores.push(store);
    nodes.push(new DsmNode({ id, nodes: N, protocol: protocolSpec(protocol, cfg.knobs), unitBytes: 4096, units: U, placement: cfg.placement, store, transport, logger, timers }));
  }
  const settle = async () => {
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  };
  const res: ReplayResult = { steps: 0, compared: 0, delivered: 0, covered: {} };
  const fail = (i: number, ev: ModelEvent | undefined, why: string) => {
    const recent = trace.steps.slice(Math.max(0, i - 6), i + 1).flatMap((s) => s.events.map((e) => describe(e)));
    res.error = `step ${i} of ${trace.steps.length}${ev ? ` (${describe(ev)})` : ''}: ${why}\n  model events up to here:\n    ${recent.join('\n    ')}`;
    return res;
  };

  for (const [i, step] of trace.steps.entries()) {
    for (const ev of step.events) {
      stepUnit = ev.unit;
      const key = ev.msg ? `${evName[ev.kind]} ${ev.msg}` : ev.kind === EV.FAULT ? `fault ${accessOf(ev.arg)}` : evName[ev.kind] ?? String(ev.kind);
      res.covered[key] = (res.covered[key] ?? 0) + 1;
      const { node: n, peer: p, unit: u } = ev;
      switch (ev.kind) {
        case EV.FAULT:
          faultsOpen++;
          nodes[n].fault(u, accessOf(ev.arg)).then(() => void faultsOpen--, (err) => void problems.push(`fault failed: ${String(err)}`));
          break;
        case EV.DELIVER: {
          const q = queues.get(`${p}->${n}`);
          const m = q?.[0];
          if (!m) return fail(i, ev, `the code has no message in flight from node ${p} to node ${n}`);
          if (mtypeOf[m.type] !== ev.msg || m.unit !== u) return fail(i, ev, `the code's next message from node ${p} to node ${n} is ${m.type} for unit ${m.unit}`);
          q!.shift();
          res.delivered++;
          handlers[n](p, m);
          break;
        }
        case EV.RECV:
          break; // without evictions a message is handled as it is delivered (the DELIVER before it)
        case EV.DRAIN: {
          const k = drains[n].findIndex((d) => d.unit === u);
          if (k < 0) return fail(i, ev, `the code scheduled no drain of unit ${u} on node ${n}`);
          drains[n].splice(k, 1)[0].fn();
          break;
        }
        case EV.ACCESS: {
          // arg: read or write; peer: the value the model's vCPU read or wrote (the last write in its one global order)
          const s = stores[n];
          if (ev.arg === 1) {
            const v = s.load32(u, 0);
            if (v !== ev.peer) return fail(i, ev, v === undefined ? 'the code does not let the vCPU read' : `the code's vCPU reads ${v}, the model's ${ev.peer}`);
          } else if (!s.store32(u, 0, ev.peer)) return fail(i, ev, 'the code does not let the vCPU write');
          break;
        }
        default:
          return fail(i, ev, `event ${evName[ev.kind] ?? ev.kind} is not replayed`);
      }
    }
    await settle();
    if (problems.length > 0) return fail(i, step.events.at(-1), problems.join('; '));
    for (let n = 0; n < N; n++) {
      for (let u = 0; u < U; u++) {
        const diff = stateDiff(step.state[n * U + u], codeState(unitEntry(nodes[n], u), stores[n], u));
        if (diff.length > 0) return fail(i, step.events.at(-1), `node ${n} unit ${u} differs: ${diff.join(', ')}`);
        res.compared++;
      }
    }
    res.steps++;
  }
  const left = [...queues].filter(([, q]) => q.length > 0).map(([k, q]) => `${k}: ${q.map((m) => m.type).join(',')}`);
  if (left.length > 0) return fail(trace.steps.length, undefined, `the model is done but the code still has messages in flight (${left.join('; ')})`);
  if (drains.some((d) => d.length > 0)) return fail(trace.steps.length, undefined, 'the model is done but the code still has drains scheduled');
  if (faultsOpen > 0) return fail(trace.steps.length, undefined, `the model is done but ${faultsOpen} faults in the code are unresolved`);
  const errs = nodes.reduce((s, n) => s + n.protocolErrors, 0);
  if (errs > 0) return fail(trace.steps.length, undefined, `the code counted ${errs} protocol errors`);
  return res;
}

function describe(e: ModelEvent): string {
  const what = e.kind === EV.ACCESS || e.kind === EV.FAULT ? `${accessOf(e.arg)}${e.kind === EV.ACCESS ? ` value ${e.peer}` : ''}` : e.msg ? `${e.msg} from node ${e.peer}` : '';
  return `node ${e.node} unit ${e.unit}: ${evName[e.kind] ?? e.kind} ${what}`.trimEnd();
}

/** spin's run of `defines` with seed `seed`, replayed against the code. */
export async function checkSeed(defines: Record<string, number>, seed: number, opts: { model?: string; protocol?: string } = {}): Promise<ReplayResult & { violation?: string }> {
  const trace = parseModelTrace(await runModel(defines, seed, opts.model), defines.N, defines.U);
  if (trace.violation) return { steps: 0, compared: 0, delivered: 0, covered: {}, violation: trace.violation, error: `the model failed: ${trace.violation}` };
  return replayModelTrace(trace, defines, { protocol: opts.protocol });
}
