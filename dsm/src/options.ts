import type { Logger } from 'pino';
import type { PageStore } from './page-store.js';
import type { Transport } from './transport.js';
import type { Access } from './page-store.js';
import type { ProtocolSpec } from '@unum/protos/dsm';
import type { DsmMessage } from './messages.js';

/**
 * Where units start out: all owned by node 0, interleaved (unit u on node
 * u mod N), first-touch (the first node to fault on a unit owns it, with a
 * zero unit and no data transfer), or numa (each unit on the node whose share
 * of RAM holds it in the guest's NUMA map, numa-share.ts: what the guest
 * allocates for a CPU from that CPU's node starts where the CPU runs).
 */
export type Placement = 'node0' | 'interleaved' | 'first-touch' | 'numa';
export const placements: readonly Placement[] = ['node0', 'interleaved', 'first-touch', 'numa'];

/** Optional per-fault trace record (a JSONL sink can write these). */
export interface FaultTrace {
  node: number;
  unit: number;
  access: Access;
  us: number;
}

/** Timers the node uses; the seeded scheduler replaces them to explore orderings. */
export interface NodeTimers {
  /** Run soon, after the current fault's waiters have resumed. */
  defer(fn: () => void): void;
  after(ms: number, fn: () => void): void;
  /** Milliseconds on a monotonic clock (default performance.now); tests use a virtual clock. */
  now?(): number;
}

export interface DsmNodeOptions {
  /** This node's id, 0..nodes-1. */
  id: number;
  nodes: number;
  /** The protocol and its knobs, from `protocolSpec('ivy-dynamic+mirage', { mirageMs: 2 })`. */
  protocol: ProtocolSpec;
  /** Coherence unit in bytes: a power of two from 4 KiB to 64 KiB. */
  unitBytes: number;
  /** Number of units (guest RAM / unitBytes); unit = (gpa - 0x8000_0000) / unitBytes. */
  units: number;
  placement?: Placement;
  /** ivy-central's manager node (default 0). */
  manager?: number;
  store: PageStore;
  transport: Transport;
  logger?: Logger;
  timers?: NodeTimers;
  trace?: (t: FaultTrace) => void;
  /** Every message this node sends, as it goes (unum run --profile-dsm counts them per unit). */
  onSend?: (m: DsmMessage) => void;
  /**
   * Room for units peers push here (ownership push, memory full). Without it
   * this node refuses every push; it can still push to peers that have it.
   */
  capacity?: PushCapacity;
  /**
   * Lets the node's thread take other work (incoming requests) between chunks
   * of a batch nobody is blocked on first (prefetch copies), so a demand
   * fault's reply is not produced behind the whole batch. Agents on real
   * links pass `setImmediate`; unset (simulators, lockstep): a batch is
   * produced at once, as one step.
   */
  bulkYield?: () => Promise<void>;
}

/** DsmNodeOptions.bulkYield for a node on real links: the rest of this event-loop turn, I/O included, runs first. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What a node's memory manager says about taking in pushed units. */
export interface PushCapacity {
  /** Reserve room for one unit (true) or refuse. */
  reserve(unit: number): boolean;
  /** The reserved unit arrived (installed) or will not come. */
  release(unit: number): void;
  /** Units this node could still take. */
  spare(): number;
}

export const defaultTimers: NodeTimers = {
  defer: (fn) => setImmediate(fn),
  after: (ms, fn) => void setTimeout(fn, ms),
};

/** Throws a RangeError naming the first bad option. */
export function checkOptions(o: DsmNodeOptions): void {
  const int = (v: number) => Number.isSafeInteger(v);
  if (!int(o.nodes) || o.nodes < 1 || o.nodes > 1024) throw new RangeError(`nodes must be 1..1024, got ${o.nodes}`);
  if (!int(o.id) || o.id < 0 || o.id >= o.nodes) throw new RangeError(`node id ${o.id} not in 0..${o.nodes - 1}`);
  const u = o.unitBytes;
  if (!int(u) || u < 4096 || u > 65536 || (u & (u - 1)) !== 0) throw new RangeError(`unitBytes must be a power of two from 4096 to 65536, got ${u}`);
  if (!int(o.units) || o.units < 1) throw new RangeError(`units must be a positive integer, got ${o.units}`);
  if (o.placement !== undefined && !placements.includes(o.placement)) throw new RangeError(`unknown placement "${o.placement}" (have: ${placements.join(', ')})`);
  const m = o.manager ?? 0;
  if (!int(m) || m < 0 || m >= o.nodes) throw new RangeError(`manager ${m} not in 0..${o.nodes - 1}`);
}
