import { pino } from 'pino';
import { DsmNode } from '../dsm-node.js';
import { MemoryPageStore } from '../memory-page-store.js';
import { MemoryNetwork } from '../memory-transport.js';
import type { DsmMessage } from '../messages.js';
import type { PushCapacity } from '../options.js';
import type { Access } from '../page-store.js';
import { protocolSpec } from '../protocols/index.js';
import { codeState, mtypeOf, unitEntry } from './model-state.js';
import { protocolOf } from './model-replay.js';
import { SeededScheduler } from './seeded-scheduler.js';

/**
 * Code → model conformance, the recording half (docs/dsm.md "Model
 * checking"): a seeded-simulator run of real DsmNodes in a model
 * configuration, recorded as what the model needs to follow it. One vCPU per
 * node makes `OPS` reads or writes of word 0 of random units (writes store
 * 1, 2, 3, ... in one global order, as the model's vCPUs do); `EVICTS`
 * eviction events per node push an idle owned unit or drop a read copy; a
 * SeededScheduler picks the next event (a vCPU step, a message off a FIFO
 * link, a deferred drain, a Mirage timer, an eviction). The stores' handshakes
 * are immediate: the model's handlers are atomic (a vCPU access in the
 * handshake window is ordered before the handler). Each scheduler step
 * records the events inside it, in order, and every (node, unit) after it.
 * code-replay.ts turns that into a Promela driver. Test-only: the recording
 * wraps the nodes' transport, timers, capacity and three private methods.
 */

/** What happened inside one scheduler step, in order. */
export type CodeEvent =
  /** The vCPU's next access: done (value read or written) or a page exit and `fault()`. */
  | { kind: 'vcpu'; node: number; unit: number; access: 1 | 2; faulted: boolean; value: number }
  /** The vCPU's fault resolved: the access done now (value). */
  | { kind: 'resume'; node: number; value: number }
  /** DsmNode.startFault ran (from the vCPU's fault, or the fault's own loop). */
  | { kind: 'start'; node: number; unit: number }
  /** A message off the link from `from` handed to `node` (ok: a credit's answer). */
  | { kind: 'deliver'; from: number; node: number; msg: string; unit: number; ok?: boolean }
  /** DsmNode.handle ran for a message (at once after its delivery, or later: it waited behind a push). */
  | { kind: 'recv'; from: number; node: number; msg: string; unit: number }
  /** A drain finish() scheduled, or the Mirage timer's, starts in the unit's queue. */
  | { kind: 'drain' | 'unhold'; node: number; unit: number }
  /** An eviction event on the unit (skip: a push of it is in progress, the memory manager leaves it). */
  | { kind: 'evict'; node: number; unit: number; skip: boolean }
  /** A `reserve` sent: the peer a push asks for room. */
  | { kind: 'reserve'; node: number; to: number; unit: number }
  /** A choice the code made: Mirage's holdMs > 0, capacity.reserve. */
  | { kind: 'choice'; node: number; yes: boolean };

export interface CodeStep {
  events: CodeEvent[];
  /** state[node * U + unit]: codeState values (stateFields order) and the store's rights. */
  state: Array<{ values: number[]; storeRights: number }>;
}

export interface CodeTrace {
  steps: CodeStep[];
  /** The code itself failed (protocol error, livelock, no quiescence): not a trace to replay. */
  error?: string;
}

export interface RecordOptions {
  /** The code's protocol instead of the one the defines stand for (a deliberate divergence in the tests). */
  protocol?: string;
  /** Probability a peer reserves room for a push (default 0.7). */
  acceptPush?: number;
  maxSteps?: number;
}

/** Runs the code in the model configuration `defines` (N, U, MGR, PLACE, OPS, EVICTS, modifiers) with seed `seed`, recording it. */
export async function recordCodeRun(defines: Record<string, number>, seed: number, opts: RecordOptions = {}): Promise<CodeTrace> {
  const N = defines.N;
  const U = defines.U;
  const cfg = protocolOf(defines);
  const sched = new SeededScheduler(seed);
  const net = new MemoryNetwork(sched);
  const logger = pino({ level: 'silent' });
  const stores: MemoryPageStore[] = [];
  const nodes: DsmNode[] = [];
  let events: CodeEvent[] = [];
  const errors: string[] = [];
  /** The queue task the next queue.run starts (set around a timer callback). */
  let tag: 'drain' | 'unhold' | undefined;
  /** Virtual time (ms): 10 µs a step, and a timer's due time when it fires. */
  let clock = 0;
  /** Units with an eviction's push in progress, `${node}:${unit}`. */
  const pushing = new Set<string>();

  for (let id = 0; id < N; id++) {
    const store = new MemoryPageStore(4096);
    const transport = net.transport(id);
    const send = transport.send.bind(transport);
    transport.send = (to: number, m: DsmMessage) => {
      if (m.type === 'reserve') events.push({ kind: 'reserve', node: id, to, unit: m.unit });
      send(to, m);
    };
    const onMessage = transport.onMessage.bind(transport);
    transport.onMessage = (h) => onMessage((from, m) => {
      events.push({ kind: 'deliver', from, node: id, msg: mtypeOf[m.type], unit: m.unit, ...(m.type === 'credit' ? { ok: m.ok } : {}) });
      h(from, m);
    });
    const timed = (kind: 'drain' | 'unhold', fn: () => void, at = 0) => sched.add(() => {
      clock = Math.max(clock, at); // a timer fires when it is due: Mirage's Δ has passed
      tag = kind;
      try { fn(); } finally { tag = undefined; }
    });
    const r = sched.random;
    const capacity: PushCapacity = {
      reserve: () => {
        const yes = r() < (opts.acceptPush ?? 0.7);
        events.push({ kind: 'choice', node: id, yes });
        return yes;
      },
      release: () => undefined,
      spare: () => (r() < 0.5 ? 0 : 3),
    };
    const node = new DsmNode({
      id, nodes: N, protocol: protocolSpec(opts.protocol ?? cfg.protocol, cfg.knobs), unitBytes: 4096, units: U, placement: cfg.placement,
      store, transport, logger, capacity,
      timers: { defer: (fn) => timed('drain', fn), after: (ms, fn) => timed('unhold', fn, clock + ms), now: () => clock },
    });
    instrument(node, id, (ev) => events.push(ev), () => {
      const t = tag;
      tag = undefined;
      return t;
    });
    stores.push(store);
    nodes.push(node);
  }

  // One vCPU per node: OPS accesses of word 0, each of a random unit, read or write.
  let nextValue = 1;
  let vcpusLeft = N;
  const access = (n: number, u: number, a: 1 | 2): number | undefined => {
    if (a === 1) return stores[n].load32(u, 0);
    const v = nextValue;
    if (!stores[n].store32(u, 0, v)) return undefined;
    nextValue++;
    return v;
  };
  // Memory pressure comes with use: node n's k-th eviction event is scheduled by its vCPU's k-th access.
  const evictsLeft = Array.from({ length: N }, () => defines.EVICTS ?? 0);
  const vcpu = (n: number, left: number, refaults = 0): void => {
    if (defines.OPS - left > 0 && evictsLeft[n] > 0) {
      evictsLeft[n]--;
      sched.add(() => evict(n));
    }
    if (left === 0) return void vcpusLeft--;
    const u = Math.floor(sched.random() * U);
    const a = sched.random() < 0.5 ? 1 : 2;
    const v = access(n, u, a);
    events.push({ kind: 'vcpu', node: n, unit: u, access: a, faulted: v === undefined, value: v ?? 0 });
    if (v !== undefined) sched.add(() => vcpu(n, left - 1));
    else fault(n, u, a, left, refaults);
  };
  const fault = (n: number, u: number, a: 1 | 2, left: number, refaults: number): void => {
    if (refaults > 50) return void errors.push(`node ${n}: unit ${u} never got its rights (livelock)`);
    nodes[n].fault(u, a === 1 ? 'read' : 'write').then(() => sched.add(() => {
      // The fault resolved: the access, or (the rights went again before the vCPU ran) fault again.
      const v = access(n, u, a);
      if (v === undefined) return fault(n, u, a, left, refaults + 1);
      events.push({ kind: 'resume', node: n, value: v });
      sched.add(() => vcpu(n, left - 1));
    }), (err) => errors.push(`fault failed: ${String(err)}`));
  };
  for (let n = 0; n < N; n++) sched.add(() => vcpu(n, defines.OPS));

  // An eviction event on a random unit (as the model's evictStep): push it if owned and idle, drop it if a read copy.
  const evict = (n: number): void => {
    const u = Math.floor(sched.random() * U);
    const key = `${n}:${u}`;
    if (pushing.has(key)) return void events.push({ kind: 'evict', node: n, unit: u, skip: true });
    nodes[n].withUnit(u, async (s, dropCopy, pushAway) => {
      events.push({ kind: 'evict', node: n, unit: u, skip: false });
      if (s.owner && !s.busy && !s.lazy) {
        pushing.add(key);
        try { await pushAway(); } finally { pushing.delete(key); }
      } else if (!s.owner && s.rights === 'read') await dropCopy();
    }).catch((err) => errors.push(`eviction failed: ${String(err)}`));
  };

  const steps: CodeStep[] = [];
  const max = opts.maxSteps ?? 20_000;
  while (errors.length === 0 && (clock += 0.01) && (await sched.step())) {
    await new Promise((r) => setImmediate(r));
    const state = [];
    for (let n = 0; n < N; n++) for (let u = 0; u < U; u++) state.push(codeState(unitEntry(nodes[n], u), stores[n], u));
    steps.push({ events, state });
    events = [];
    if (steps.length > max) errors.push(`no quiescence after ${max} steps`);
  }
  if (errors.length === 0 && vcpusLeft !== 0) errors.push(`${vcpusLeft} vCPUs stuck at quiescence`);
  if (errors.length === 0 && net.inFlight() !== 0) errors.push(`${net.inFlight()} messages undelivered at quiescence`);
  const protocolErrors = nodes.reduce((s, n) => s + n.protocolErrors, 0);
  if (protocolErrors > 0) errors.push(`the code counted ${protocolErrors} protocol errors`);
  return { steps, error: errors[0] };
}

/** What the recording wraps of a node: startFault, handle, the holdMs hook, and the unit queue (to tag timer tasks). */
interface NodeInternals {
  startFault(unit: number, e: unknown, access: Access): Promise<unknown>;
  handle(from: number, e: unknown, m: DsmMessage): unknown;
  variant: { holdMs?: (unit: number, access: Access, heldForMs: number) => number };
  queue: { run<T>(key: number, task: () => T | Promise<T>): Promise<T> };
}

function instrument(node: DsmNode, id: number, record: (ev: CodeEvent) => void, takeTag: () => 'drain' | 'unhold' | undefined): void {
  const x = node as unknown as NodeInternals;
  const startFault = x.startFault.bind(node);
  x.startFault = (unit, e, access) => {
    record({ kind: 'start', node: id, unit });
    return startFault(unit, e, access);
  };
  const handle = x.handle.bind(node);
  x.handle = (from, e, m) => {
    record({ kind: 'recv', from, node: id, msg: mtypeOf[m.type], unit: m.unit });
    return handle(from, e, m);
  };
  const holdMs = x.variant.holdMs;
  if (holdMs) {
    x.variant.holdMs = (unit, access, heldForMs) => {
      const ms = holdMs(unit, access, heldForMs);
      record({ kind: 'choice', node: id, yes: ms > 0 });
      return ms;
    };
  }
  const run = x.queue.run.bind(x.queue);
  x.queue.run = <T>(key: number, task: () => T | Promise<T>) => {
    const kind = takeTag();
    return run(key, kind ? () => (record({ kind, node: id, unit: key }), task()) : task);
  };
}
