import { pino, type Logger } from 'pino';
import { DsmError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import type { DsmMessage } from './messages.js';
import { checkOptions, defaultTimers, type DsmNodeOptions, type NodeTimers } from './options.js';
import { UnitEntry } from './unit-entry.js';
import type { PageStore, Rights } from './page-store.js';
import { createProtocol, type ProtocolVariant } from './protocols/index.js';
import { StatsCollector, type DsmStats, type PageStat, type UnitView } from './stats.js';
import type { Transport } from './transport.js';
import type { Lane } from './link-lanes.js';
import { numaNodeOf } from './numa-share.js';

/** A unit as this node holds it, for the node's memory manager (`withUnit`). */
export interface UnitState {
  owner: boolean;
  /** Owned, never touched: no frame. */
  lazy: boolean;
  rights: Rights;
  /** A fault, invalidation round, hold or deferred request is in progress. */
  busy: boolean;
}

/**
 * The plumbing of a DSM node: options, per-unit entries and queue, the local
 * store, sending, stats, and read copies handed out. DsmNode (dsm-node.ts)
 * is the protocol on top.
 */
export abstract class NodeBase {
  readonly id: number;
  protected readonly n: number;
  protected readonly variant: ProtocolVariant;
  protected readonly store: PageStore;
  protected readonly transport: Transport;
  protected readonly log: Logger;
  protected readonly timers: NodeTimers;
  protected readonly now: () => number;
  protected readonly entries = new Map<number, UnitEntry>();
  protected readonly queue = new KeyedQueue();
  protected readonly stat: StatsCollector;
  protected closed = false;
  protected readonly debug: boolean;
  /** Internal inconsistencies seen (a correct run has none; tests assert it). */
  protocolErrors = 0;

  constructor(protected readonly opts: DsmNodeOptions) {
    checkOptions(opts);
    this.id = opts.id;
    this.n = opts.nodes;
    this.variant = createProtocol(opts.protocol, { self: opts.id, nodes: opts.nodes, managerNode: opts.manager ?? 0 });
    this.store = opts.store;
    this.transport = opts.transport;
    this.log = (opts.logger ?? pino({ level: 'warn' })).child({ dsmNode: opts.id });
    this.timers = opts.timers ?? defaultTimers;
    this.now = this.timers.now ? () => this.timers.now!() : () => performance.now();
    this.debug = this.log.isLevelEnabled('debug');
    this.stat = new StatsCollector(opts.id, this.variant.name, opts.unitBytes, this.variant.knobs);
  }

  stats(): DsmStats {
    return this.stat.snapshot(this.transport.rejected());
  }

  /**
   * What the lockstep driver checks for quiescence: messages sent and
   * received so far and units with DSM work queued or running. The cluster
   * is quiet when, summed over nodes, sent = received and nothing is busy.
   */
  activity(): { sent: number; received: number; busy: number } {
    return { sent: this.stat.messagesSent(), received: this.stat.messagesReceived(), busy: this.queue.busy };
  }

  /**
   * True if a fault on `unit` needs no message: this node owns it and has
   * never touched it (a zero unit it may simply map). Lockstep mode
   * resolves these inside the quantum, since no other node can see them.
   */
  resolvesLocally(unit: number): boolean {
    const e = this.entries.get(unit);
    if (!e) return this.initialOwner(unit) === this.id;
    return e.owner && e.lazy && e.pending === null && e.expecting === null;
  }

  /** The `top` units with the most faults on this node. */
  pageStats(top: number): PageStat[] {
    return this.stat.hottest(top);
  }

  /** Observers (dashboard): each unit this node has state for and whether it owns it; all others are with `initialOwner(unit)`. */
  forEachUnit(fn: (unit: number, owner: boolean) => void): void {
    for (const [unit, e] of this.entries) fn(unit, e.owner);
  }

  /** One unit as this node sees it, without creating state for it (dashboard hover). */
  unitView(unit: number): UnitView {
    const e = this.entries.get(unit);
    const p = this.stat.pageOf(unit);
    return {
      unit, owner: e ? e.owner : this.initialOwner(unit) === this.id, rights: e?.rights ?? 'none',
      copyset: e?.owner ? [...e.copyset] : [], version: e?.version ?? 0,
      readFaults: p?.readFaults ?? 0, writeFaults: p?.writeFaults ?? 0, invalidations: p?.invalidations ?? 0,
    };
  }

  /** Where this node sends a request for `unit` first: its manager or home as this node knows it (undefined: probable-owner chain). */
  managerOf(unit: number): number | undefined {
    return this.variant.manager(unit);
  }

  /**
   * Run `fn` in the unit's queue, atomic with every DSM event on the unit, with
   * this node's view of it: the node's memory manager evicts through this.
   * `dropCopy` gives up an idle read copy (rights none, after the handshake).
   * `pushAway` hands an idle owned unit to a peer that reserves room for it
   * (resolves false, unit unchanged, when no peer has room).
   */
  withUnit<T>(unit: number, fn: (s: UnitState, dropCopy: () => Promise<void>, pushAway: () => Promise<boolean>) => T | Promise<T>): Promise<T> {
    return this.queue.run(unit, () => {
      const e = this.entries.get(unit);
      if (!e) {
        const owner = this.initialOwner(unit) === this.id;
        return fn({ owner, lazy: owner, rights: 'none', busy: false }, async () => undefined, async () => false);
      }
      const busy = e.pending !== null || e.acks !== null || e.holding || e.deferred.length > 0 || e.expecting !== null;
      return fn({ owner: e.owner, lazy: e.lazy, rights: e.rights, busy }, async () => {
        if (e.owner || busy || e.rights !== 'read') return;
        await this.setRights(unit, e, 'none');
        this.stat.c.copiesDropped++;
      }, () => (busy || !e.owner || e.lazy ? Promise.resolve(false) : this.pushAway(unit, e)));
    });
  }

  /** Ownership push (ownership-push.ts); called inside the unit's queue with the unit idle and owned here. */
  protected abstract pushAway(unit: number, e: UnitEntry): Promise<boolean>;

  /** Fails outstanding faults and closes the transport. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.entries.values()) {
      e.pending?.reject(new DsmError('closed', 'DSM node closed'));
      e.expecting?.reject(new DsmError('closed', 'DSM node closed'));
    }
    await this.transport.close();
  }

  // ---- local state and sending ----------------------------------------------

  /** The unit's bytes to hand out as a read copy; this node keeps Read (null = a zero unit, no bytes). */
  protected async readCopy(unit: number, e: UnitEntry): Promise<Uint8Array | null> {
    if (e.lazy) {
      this.install(unit, null);
      e.lazy = false;
      await this.setRights(unit, e, 'read');
      return null;
    }
    if (e.rights === 'write') await this.setRights(unit, e, 'read'); // handshake first: every local store is in the frame
    return await this.store.read(unit);
  }

  protected install(unit: number, data: Uint8Array | null): void {
    if (data) this.store.write(unit, data);
    else if (this.store.zero) this.store.zero(unit);
    else this.store.write(unit, new Uint8Array(this.opts.unitBytes));
  }

  protected async setRights(unit: number, e: UnitEntry, r: Rights): Promise<void> {
    if (e.rights === r) return;
    await this.store.setRights(unit, r);
    e.rights = r;
  }

  protected send(to: number, msg: DsmMessage, lane?: Lane): void {
    if (to === this.id) throw new DsmError('protocol', `unit ${msg.unit}: ${msg.type} to self`);
    if (this.closed) return;
    this.stat.sentMsg(msg);
    this.opts.onSend?.(msg);
    this.transport.send(to, msg, lane);
  }

  protected invalidate(unit: number, e: UnitEntry, nodes: number[], version: number): void {
    if (nodes.length === 0) return;
    e.acks = new Set(nodes);
    this.stat.c.invalidationsSent += nodes.length;
    for (const n of nodes) this.send(n, { type: 'invalidate', unit, version, writer: this.id });
  }

  protected unexpected(m: DsmMessage, why: string): void {
    this.stat.c.rejected++;
    this.protocolErrors++;
    this.log.warn({ unit: m.unit, type: m.type }, `ignored message: ${why}`);
  }

  protected fail(err: unknown, m?: DsmMessage): void {
    this.protocolErrors++;
    this.log.error({ err, unit: m?.unit, type: m?.type }, 'DSM protocol error');
  }

  protected entry(unit: number): UnitEntry {
    let e = this.entries.get(unit);
    if (!e) this.entries.set(unit, (e = new UnitEntry(this.id, this.initialOwner(unit))));
    return e;
  }

  /** Where a unit starts out (placement), before any fault moves it. */
  initialOwner(unit: number): number {
    switch (this.opts.placement ?? 'node0') {
      case 'node0': return 0;
      case 'interleaved': return unit % this.n;
      case 'first-touch': return this.variant.home(unit);
      case 'numa': return numaNodeOf(unit, this.opts.units, this.n);
    }
  }
}
