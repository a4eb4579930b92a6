import { messageTypes, payloadBytes, type DsmMessage, type MessageType } from './messages.js';
import type { Access } from './page-store.js';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.js';
import type { DsmStats, PageStat } from '@unum/protos/stats';

/** One DSM node's counters and one unit's fault counts: the wire types (protos/stats.proto), plain JSON. */
export type { DsmProfile, DsmStats, PageStat } from '@unum/protos/stats';

/** One unit as one node sees it (DsmNode.unitView): its rights, whether it owns the unit, the copyset if it does. */
export interface UnitView extends PageStat {
  owner: boolean;
  rights: 'none' | 'read' | 'write';
  copyset: number[];
  version: number;
}

const countOf = (counts: Record<MessageType, { count: number }>): number => Object.values(counts).reduce((a, s) => a + s.count, 0);

const emptyCounts = () =>
  Object.fromEntries(messageTypes.map((t) => [t, { count: 0, bytes: 0 }])) as Record<MessageType, { count: number; bytes: number }>;

/** Counters owned by one DsmNode. */
export class StatsCollector {
  readonly c = {
    readFaults: 0, writeFaults: 0, requests: 0, staleRetries: 0, invalidationsSent: 0,
    invalidationsReceived: 0, forwards: 0, hopsServed: 0, deferred: 0, rejected: 0, holds: 0,
    recalls: 0, homeMigrations: 0, updatesSent: 0, prefetchesSent: 0, pushesInstalled: 0, pushesDropped: 0, copiesDropped: 0,
    ownerPushesSent: 0, ownerPushesReceived: 0, pushRefusals: 0,
  };
  private readonly sent = emptyCounts();
  private readonly received = emptyCounts();
  private readonly latency = new LatencyHistogram();
  private readonly pages = new Map<number, PageStat>();

  constructor(
    private readonly node: number, private readonly protocol: string, private readonly unitBytes: number,
    /** The protocol's knobs in effect, by KnobSpec name. */
    private readonly knobs: Readonly<Record<string, number>> = {},
  ) {}

  fault(unit: number, access: Access): void {
    const p = this.page(unit);
    if (access === 'read') { this.c.readFaults++; p.readFaults++; } else { this.c.writeFaults++; p.writeFaults++; }
  }
  invalidated(unit: number): void {
    this.c.invalidationsReceived++;
    this.page(unit).invalidations++;
  }
  faultDone(us: number): void {
    this.latency.add(us);
  }
  sentMsg(m: DsmMessage): void {
    const s = this.sent[m.type];
    s.count++;
    s.bytes += payloadBytes(m);
  }
  receivedMsg(m: DsmMessage): void {
    const s = this.received[m.type];
    s.count++;
    s.bytes += payloadBytes(m);
  }
  /** Total messages sent so far (all types). */
  messagesSent(): number {
    return countOf(this.sent);
  }
  /** Total messages received so far (all types). */
  messagesReceived(): number {
    return countOf(this.received);
  }

  snapshot(transportRejected: number): DsmStats {
    return {
      node: this.node, protocol: this.protocol, unitBytes: this.unitBytes, ...this.c,
      rejected: this.c.rejected + transportRejected,
      messagesSent: structuredClone(this.sent), messagesReceived: structuredClone(this.received),
      faultLatencyUs: this.latency.summary(), knobs: { ...this.knobs },
    };
  }

  /** Fault counts of one unit (undefined: never faulted here). */
  pageOf(unit: number): Readonly<PageStat> | undefined {
    return this.pages.get(unit);
  }

  /** The hottest units by faults (GiantVM's profile). */
  hottest(top: number): PageStat[] {
    return [...this.pages.values()]
      .sort((a, b) => b.readFaults + b.writeFaults - (a.readFaults + a.writeFaults) || a.unit - b.unit)
      .slice(0, top)
      .map((p) => ({ ...p }));
  }

  private page(unit: number): PageStat {
    let p = this.pages.get(unit);
    if (!p) this.pages.set(unit, (p = { unit, readFaults: 0, writeFaults: 0, invalidations: 0 }));
    return p;
  }
}
