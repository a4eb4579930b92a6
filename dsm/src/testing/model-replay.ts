import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { DsmNode } from '../dsm-node.js';
import { MemoryPageStore } from '../memory-page-store.js';
import type { DsmMessage } from '../messages.js';
import type { NodeTimers, Placement, PushCapacity } from '../options.js';
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

/** Event kinds, as dsm/model/dsm-events.pml numbers them (EV_*). */
export const EV = { FAULT: 1, DELIVER: 2, RECV: 3, DRAIN: 4, UNHOLD: 5, DROP: 6, ASK: 7, CREDIT: 8, PUSH: 9, GIVEUP: 10, ACCESS: 11, CHOICE: 12, REFAULT: 13 } as const;
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
  if (defines.EVICTS && N > 2) throw new RangeError('model replay: evictions are replayed with 2 nodes only (the code picks the peer to push to by room, the model any)');
  const queues = new Map<string, DsmMessage[]>();
  const handlers: Array<(from: number, m: DsmMessage) => void> = [];
  const drains: Array<Array<{ unit: number; fn: () => void }>> = [];
  const holds: Array<Array<{ unit: number; fn: () => void }>> = [];
  /** Messages the model delivered into a unit's queue busy with a push (its inbox), `${node}:${unit}`: handed to the code at the model's RECV. */
  const inbox = new Map<string, Array<{ from: number; m: DsmMessage }>>();
  /** The model's choices (EV_CHOICE) of the step, per node, for the code's holdMs and capacity.reserve. */
  const choices: boolean[][] = [];
  const stores: MemoryPageStore[] = [];
  const nodes: DsmNode[] = [];
  const problems: string[] = [];
  let stepUnit = -1;
  let faultsOpen = 0;
  const logger = pino({ level: 'silent' });
  const choose = (id: number, what: string): boolean => {
    const c = choices[id].shift();
    if (c === undefined) problems.push(`node ${id}: the code asks ${what} where the model makes no choice`);
    return c ?? false;
  };
  for (let id = 0; id < N; id++) {
    drains.push([]);
    holds.push([]);
    choices.push([]);
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
    // finish() schedules a drain with timers.defer, a Mirage hold its timer: the model's drain and unhold steps of the unit being handled.
    const timers: NodeTimers = {
      defer: (fn) => void drains[id].push({ unit: stepUnit, fn }),
      after: (_ms, fn) => void holds[id].push({ unit: stepUnit, fn }),
      now: () => 0,
    };
    // Room for a push as the model chose; always some spare, so the code asks its peer whenever the model may.
    const capacity: PushCapacity = { reserve: () => choose(id, 'capacity.reserve'), release: () => undefined, spare: () => 1 };
    const store = new MemoryPageStore(4096); // immediate handshake: the model's handlers are atomic
    stores.push(store);
    const node = new DsmNode({ id, nodes: N, protocol: protocolSpec(protocol, cfg.knobs), unitBytes: 4096, units: U, placement: cfg.placement, store, transport, logger, timers, capacity });
    // Mirage: hold exactly when the model did (time is the model's choice).
    const variant = (node as unknown as { variant: { holdMs?: (unit: number, access: Access, heldForMs: number) => number } }).variant;
    if (variant.holdMs) variant.holdMs = () => (choose(id, 'holdMs') ? 1 : 0);
    nodes.push(node);
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
    for (let n = 0; n < N; n++) choices[n] = step.events.filter((e) => e.kind === EV.CHOICE && e.node === n).map((e) => e.arg === 1);
    for (const [j, ev] of step.events.entries()) {
      stepUnit = ev.unit;
      const key = ev.msg ? `${evName[ev.kind]} ${ev.msg}` : ev.kind === EV.FAULT ? `fault ${accessOf(ev.arg)}`
        : ev.kind === EV.CHOICE || ev.kind === EV.CREDIT ? `${evName[ev.kind]} ${ev.arg ? 'yes' : 'no'}` : evName[ev.kind] ?? String(ev.kind);
      res.covered[key] = (res.covered[key] ?? 0) + 1;
      const { node: n, peer: p, unit: u } = ev;
      switch (ev.kind) {
        case EV.FAULT:
          faultsOpen++;
          nodes[n].fault(u, accessOf(ev.arg)).then(() => void faultsOpen--, (err) => void problems.push(`fault failed: ${String(err)}`));
          break;
        case EV.DELIVER:
        case EV.CREDIT: {
          const q = queues.get(`${p}->${n}`);
          const m = q?.[0];
          const kind = ev.kind === EV.CREDIT ? 'CREDIT' : ev.msg;
          if (!m) return fail(i, ev, `the code has no message in flight from node ${p} to node ${n}`);
          if (mtypeOf[m.type] !== kind || m.unit !== u) return fail(i, ev, `the code's next message from node ${p} to node ${n} is ${m.type} for unit ${m.unit}`);
          if (m.type === 'credit' && m.ok !== (ev.arg === 1)) return fail(i, ev, `the code's credit says ok ${m.ok}`);
          q!.shift();
          res.delivered++;
          const next = step.events[j + 1];
          if (ev.kind === EV.CREDIT || (next?.kind === EV.RECV && next.node === n && next.peer === p && next.unit === u)) handlers[n](p, m);
          else inbox.set(`${n}:${u}`, [...(inbox.get(`${n}:${u}`) ?? []), { from: p, m }]); // the model queued it behind the push
          break;
        }
        case EV.RECV: {
          if (step.events[j - 1]?.kind === EV.DELIVER && step.events[j - 1].node === n && step.events[j - 1].unit === u) break; // handled as delivered
          const held = inbox.get(`${n}:${u}`)?.shift();
          if (!held || held.from !== p || mtypeOf[held.m.type] !== ev.msg) return fail(i, ev, `the model handles a message the code was not given: ${held ? `${held.m.type} from node ${held.from}` : 'none'} waiting`);
          handlers[n](p, held.m);
          break;
        }
        case EV.UNHOLD: {
          const k = holds[n].findIndex((d) => d.unit === u);
          if (k < 0) return fail(i, ev, `the code holds no request of unit ${u} on node ${n}`);
          holds[n].splice(k, 1)[0].fn();
          break;
        }
        case EV.ASK:
          // The first event of an eviction step (memory pressure): the code pushes the unit away. Later in a step, the code's own next ask after a refused credit.
          if (j === 0) nodes[n].withUnit(u, (_s, _drop, pushAway) => pushAway()).catch((err) => void problems.push(`push failed: ${String(err)}`));
          break;
        case EV.DROP:
          nodes[n].withUnit(u, (_s, dropCopy) => dropCopy()).catch((err) => void problems.push(`drop failed: ${String(err)}`));
          break;
        case EV.PUSH:
        case EV.GIVEUP:
        case EV.REFAULT:
        case EV.CHOICE:
          break; // what the code does by itself (after a credit, a push); the choices went to the code before the step
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
    const unused = choices.flatMap((c, n) => (c.length > 0 ? [`node ${n}: the model made ${c.length} choices the code did not ask for`] : []));
    if (problems.length + unused.length > 0) return fail(i, step.events.at(-1), [...problems, ...unused].join('; '));
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
  if (holds.some((d) => d.length > 0)) return fail(trace.steps.length, undefined, 'the model is done but the code still holds requests');
  if ([...inbox.values()].some((q) => q.length > 0)) return fail(trace.steps.length, undefined, 'the model is done but messages wait in an inbox');
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
