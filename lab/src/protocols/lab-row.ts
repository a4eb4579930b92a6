/**
 * One lab run as a row: the configuration, the guest's RESULT line, and the
 * DSM counters from `unum run --stats`, summed over nodes and per node.
 */
import { mergeLatency, type LatencySummary } from '@unum/dsm';
import type { LabConfig } from './lab-config.js';

/** Counters of one node or of the whole run (sum over nodes; latency percentiles of all nodes' faults together). */
export interface LabCounters {
  readFaults: number;
  writeFaults: number;
  faults: number;
  /** Invalidations sent. */
  invalidations: number;
  /** Messages sent (every type) and their payload bytes. */
  messages: number;
  bytes: number;
  messagesPerFault: number;
  /** Requests passed on by a manager or probable owner. */
  forwards: number;
  /** Sum of hop counts of requests served by owners. */
  hops: number;
  staleRetries: number;
  holds: number;
  prefetchesSent: number;
  updatesSent: number;
  pushesInstalled: number;
  pushesDropped: number;
  recalls: number;
  homeMigrations: number;
  latencyP50Us: number;
  latencyP99Us: number;
}

/** Counters that depend only on the sharing pattern: repeats with the same config should agree on them. */
export const DETERMINISTIC_COUNTERS = ['readFaults', 'writeFaults', 'invalidations', 'messages', 'bytes', 'forwards'] as const;
export type DeterministicCounter = (typeof DETERMINISTIC_COUNTERS)[number];

export interface HotUnit {
  unit: number;
  readFaults: number;
  writeFaults: number;
  invalidations: number;
}

export interface LabRow extends LabConfig {
  id: string;
  /** The guest passed its own check and the run exited 0. */
  ok: boolean;
  error?: string;
  exitCode: number;
  checksum?: string;
  /** Guest ticks of the timed region (RESULT ticks) and the same in ms (ticks / tbfreq). */
  guestTicks?: number;
  guestMs?: number;
  /** Wall time from VM start to the guest's finish (the stats' wallMs), and of the whole `unum run` process. */
  wallMs?: number;
  processMs: number;
  totals?: LabCounters;
  perNode?: LabCounters[];
  /** Hottest units over all nodes (from each node's pageStats). */
  hotUnits?: HotUnit[];
}

interface MsgCount { count: number; bytes: number }
/** The part of a node's `dsm` stats the lab reads (DsmStats, as JSON). */
export interface DsmStatsJson {
  readFaults: number; writeFaults: number; staleRetries: number; invalidationsSent: number; forwards: number; hopsServed: number;
  holds: number; recalls: number; homeMigrations: number; updatesSent: number; prefetchesSent: number; pushesInstalled: number; pushesDropped: number;
  messagesSent: Record<string, MsgCount>;
  faultLatencyUs: LatencySummary;
}
export interface NodeReportJson { node: number; dsm: DsmStatsJson; hotUnits?: HotUnit[] }

export function countersOf(d: DsmStatsJson): LabCounters {
  const sent = Object.values(d.messagesSent).reduce((a, s) => ({ count: a.count + s.count, bytes: a.bytes + s.bytes }), { count: 0, bytes: 0 });
  const faults = d.readFaults + d.writeFaults;
  return {
    readFaults: d.readFaults, writeFaults: d.writeFaults, faults, invalidations: d.invalidationsSent,
    messages: sent.count, bytes: sent.bytes, messagesPerFault: faults ? sent.count / faults : 0,
    forwards: d.forwards, hops: d.hopsServed, staleRetries: d.staleRetries, holds: d.holds,
    prefetchesSent: d.prefetchesSent, updatesSent: d.updatesSent, pushesInstalled: d.pushesInstalled, pushesDropped: d.pushesDropped,
    recalls: d.recalls, homeMigrations: d.homeMigrations,
    latencyP50Us: d.faultLatencyUs.p50, latencyP99Us: d.faultLatencyUs.p99,
  };
}

/** Sum over nodes of every counter but the latency percentiles, which are given (they do not add up: see totalsOf). */
export function sumCounters(nodes: readonly LabCounters[], latency: Pick<LatencySummary, 'p50' | 'p99'> = { p50: 0, p99: 0 }): LabCounters {
  const t = countersOf({
    readFaults: 0, writeFaults: 0, staleRetries: 0, invalidationsSent: 0, forwards: 0, hopsServed: 0, holds: 0, recalls: 0,
    homeMigrations: 0, updatesSent: 0, prefetchesSent: 0, pushesInstalled: 0, pushesDropped: 0, messagesSent: {}, faultLatencyUs: { ...latency, count: 0, max: 0, buckets: {} },
  });
  for (const n of nodes) {
    for (const k of Object.keys(t) as (keyof LabCounters)[]) {
      if (k !== 'messagesPerFault' && k !== 'latencyP50Us' && k !== 'latencyP99Us') t[k] += n[k];
    }
  }
  t.messagesPerFault = t.faults ? t.messages / t.faults : 0;
  return t;
}

/** A run's totals: counters summed over nodes, fault-latency percentiles from the nodes' histograms merged. */
export function totalsOf(nodes: readonly DsmStatsJson[]): LabCounters {
  return sumCounters(nodes.map(countersOf), mergeLatency(nodes.map((d) => d.faultLatencyUs)));
}

/** Hot units of all nodes merged by unit, hottest first. */
export function mergeHotUnits(nodes: readonly NodeReportJson[], top: number): HotUnit[] {
  const by = new Map<number, HotUnit>();
  for (const n of nodes) {
    for (const u of n.hotUnits ?? []) {
      const h = by.get(u.unit) ?? { unit: u.unit, readFaults: 0, writeFaults: 0, invalidations: 0 };
      h.readFaults += u.readFaults;
      h.writeFaults += u.writeFaults;
      h.invalidations += u.invalidations;
      by.set(u.unit, h);
    }
  }
  return [...by.values()].sort((a, b) => b.readFaults + b.writeFaults - a.readFaults - a.writeFaults || a.unit - b.unit).slice(0, top);
}
