/**
 * NodeTelemetry: what one agent tells the dashboard and /metrics about its
 * share of a VM, on request (never per fault, never unasked): hart states
 * and instructions, DSM counters, memory, a fault-latency histogram, and the
 * page map aggregated into a fixed number of cells (cell = a run of units:
 * how many of them this node owns, how many faults it took there).
 * Per-fault cost is one array increment (the DSM's `trace` hook).
 *
 * @example
 *   const t = new NodeTelemetry(units, nodeId);
 *   new DsmNode({ ..., trace: (f) => t.fault(f.unit, f.us) });
 *   const sample = t.sample(agent, dsm, { cells: 4096 });
 */
import { readFileSync } from 'node:fs';
import type { DsmNode, UnitView } from '@unum/dsm';
import type { IoStats } from '@unum/protos/stats';
import type { NodeAgent } from '../node-agent.js';

/** Upper bounds (µs) of the fault-latency buckets; the last bucket is +Inf. */
export const FAULT_LATENCY_BUCKETS_US = [50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000] as const;
/** The most cells a map may ask for (a 128×128 canvas). */
export const MAX_MAP_CELLS = 16_384;
/** Units described one by one when the dashboard inspects a cell. */
const INSPECT_UNITS = 8;

export interface TelemetryQuery {
  cells: number;
  /** Describe the units of this cell (the dashboard's hover), or -1. */
  inspect: number;
}

/** The JSON part of a node's Telemetry reply (the map travels as binary next to it). */
export interface NodeSample {
  node: number;
  harts: Array<{ hart: number; state: string; instret: string }>;
  dsm: {
    readFaults: number; writeFaults: number; invalidationsSent: number; invalidationsReceived: number;
    messagesSent: number; messagesReceived: number; bytesSent: number; bytesReceived: number;
    messagesByType: Record<string, number>;
    latencyBucketsUs: number[]; latencyCounts: number[]; latencySumUs: number;
  };
  mem: { framesUsed: number; frames: number; rssBytes: number; swapBytes: number };
  map: { cells: number; unitsPerCell: number };
  /** The device node: virtio requests served and the DSM traffic their DMA caused (IoStats). */
  io?: IoStats;
  /** The inspected cell's most-faulted units (or its first ones), as this node sees them. */
  units?: UnitView[];
}

export interface TelemetryReply {
  sample: NodeSample;
  /** Per cell: units of the cell this node owns (Uint32 LE). */
  owned: Uint8Array;
  /** Per cell: faults this node took there since the VM started (Uint32 LE). */
  faults: Uint8Array;
}

export class NodeTelemetry {
  private readonly unitFaults: Uint32Array;
  private readonly latency = new Float64Array(FAULT_LATENCY_BUCKETS_US.length + 1);
  private latencySum = 0;
  private initial: { cells: number; owned: Uint32Array } | undefined;

  constructor(private readonly units: number, private readonly node: number) {
    this.unitFaults = new Uint32Array(units);
  }

  /** The DSM resolved a fault on `unit` after `us` microseconds. */
  fault(unit: number, us: number): void {
    this.unitFaults[unit]!++;
    let b = 0;
    while (b < FAULT_LATENCY_BUCKETS_US.length && us > FAULT_LATENCY_BUCKETS_US[b]!) b++;
    this.latency[b]!++;
    this.latencySum += us;
  }

  sample(agent: NodeAgent, dsm: DsmNode, frames: number, q: TelemetryQuery): TelemetryReply {
    const cells = Math.max(1, Math.min(q.cells | 0 || 1, MAX_MAP_CELLS, this.units));
    const per = Math.ceil(this.units / cells);
    const owned = this.owned(dsm, cells, per);
    const faults = new Uint32Array(cells);
    for (let u = 0; u < this.units; u++) if (this.unitFaults[u]) faults[Math.floor(u / per)]! += this.unitFaults[u]!;
    const s = dsm.stats();
    const sum = (r: Record<string, { count: number; bytes: number }>, k: 'count' | 'bytes'): number =>
      Object.values(r).reduce((a, v) => a + v[k], 0);
    const sample: NodeSample = {
      node: this.node,
      harts: agent.hartStatus().map((h) => ({ hart: h.hart, state: h.state, instret: h.instret.toString() })),
      dsm: {
        readFaults: s.readFaults, writeFaults: s.writeFaults,
        invalidationsSent: s.invalidationsSent, invalidationsReceived: s.invalidationsReceived,
        messagesSent: sum(s.messagesSent, 'count'), messagesReceived: sum(s.messagesReceived, 'count'),
        bytesSent: sum(s.messagesSent, 'bytes'), bytesReceived: sum(s.messagesReceived, 'bytes'),
        messagesByType: Object.fromEntries(Object.entries(s.messagesSent).map(([t, v]) => [t, v.count])),
        latencyBucketsUs: [...FAULT_LATENCY_BUCKETS_US], latencyCounts: [...this.latency], latencySumUs: this.latencySum,
      },
      mem: { framesUsed: agent.pool.used, frames, rssBytes: process.memoryUsage.rss(), swapBytes: swapBytes() },
      map: { cells, unitsPerCell: per },
    };
    if (q.inspect >= 0 && q.inspect < cells) sample.units = this.inspect(dsm, q.inspect * per, Math.min(this.units, (q.inspect + 1) * per));
    return { sample, owned: bytesOf(owned), faults: bytesOf(faults) };
  }

  /** Units of the cell owned here: the placement's counts (computed once), corrected by every unit the DSM has state for. */
  private owned(dsm: DsmNode, cells: number, per: number): Uint32Array {
    if (this.initial?.cells !== cells) {
      const init = new Uint32Array(cells);
      for (let u = 0; u < this.units; u++) if (dsm.initialOwner(u) === this.node) init[Math.floor(u / per)]!++;
      this.initial = { cells, owned: init };
    }
    const owned = Uint32Array.from(this.initial.owned);
    dsm.forEachUnit((u, isOwner) => {
      const was = dsm.initialOwner(u) === this.node;
      if (isOwner !== was) owned[Math.floor(u / per)]! += isOwner ? 1 : -1;
    });
    return owned;
  }

  private inspect(dsm: DsmNode, from: number, to: number): UnitView[] {
    const units = Array.from({ length: to - from }, (_, i) => from + i);
    units.sort((a, b) => this.unitFaults[b]! - this.unitFaults[a]! || a - b);
    return units.slice(0, INSPECT_UNITS).map((u) => dsm.unitView(u));
  }
}

const bytesOf = (a: Uint32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** This process's swapped-out memory (Linux VmSwap; 0 elsewhere). */
function swapBytes(): number {
  try {
    const m = /VmSwap:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
