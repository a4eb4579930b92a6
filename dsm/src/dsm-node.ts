import { pino, type Logger } from 'pino';
import { DsmError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import { checkMessage, type AckMsg, type DsmMessage, type GrantMsg, type InvalidateMsg, type PageMsg, type RequestMsg } from './messages.js';
import { checkOptions, defaultTimers, type DsmNodeOptions, type NodeTimers } from './options.js';
import { newPending, PageEntry, type Pending } from './page-entry.js';
import { allows, type Access, type PageStore } from './page-store.js';
import { createProtocol, type ProtocolVariant } from './protocols/index.js';
import { StatsCollector, type DsmStats, type PageStat } from './stats.js';
import type { Transport } from './transport.js';

type Wait = { done: Promise<void> };
const DONE: Wait = { done: Promise.resolve() };

/**
 * One node of the DSM: IVY's sequentially consistent page coherence. The node
 * agent calls `fault()` when a vCPU takes a page exit; it resolves once this
 * node's rights for the unit suffice. Everything a variant does not decide
 * (states, copysets, invalidation, coalescing, races) lives here.
 *
 * @example
 *   const node = new DsmNode({ id: 1, nodes: 3, protocol: 'ivy-dynamic', unitBytes: 4096,
 *     units: 1024, store, transport });
 *   await node.fault(7, 'write'); // node 1 now owns unit 7 exclusively
 */
export class DsmNode {
  readonly id: number;
  private readonly n: number;
  private readonly variant: ProtocolVariant;
  private readonly store: PageStore;
  private readonly transport: Transport;
  private readonly log: Logger;
  private readonly timers: NodeTimers;
  private readonly entries = new Map<number, PageEntry>();
  private readonly queue = new KeyedQueue();
  private readonly stat: StatsCollector;
  private closed = false;
  private readonly debug: boolean;
  /** Internal inconsistencies seen (a correct run has none; tests assert it). */
  protocolErrors = 0;

  constructor(private readonly opts: DsmNodeOptions) {
    checkOptions(opts);
    this.id = opts.id;
    this.n = opts.nodes;
    this.variant = createProtocol(opts.protocol, { self: opts.id, nodes: opts.nodes, managerNode: opts.manager ?? 0 });
    this.store = opts.store;
    this.transport = opts.transport;
    this.log = (opts.logger ?? pino({ level: 'warn' })).child({ dsmNode: opts.id });
    this.timers = opts.timers ?? defaultTimers;
    this.debug = this.log.isLevelEnabled('debug');
    this.stat = new StatsCollector(opts.id, this.variant.name, opts.unitBytes);
    this.transport.onMessage((from, msg) => this.receive(from, msg));
  }

  /** Resolves when this node's vCPUs may perform `access` on `unit`. Concurrent faults on a unit share one request. */
  async fault(unit: number, access: Access): Promise<void> {
    if (!Number.isSafeInteger(unit) || unit < 0 || unit >= this.opts.units) throw new RangeError(`unit ${unit} out of range`);
    if (this.closed) throw new DsmError('closed', 'DSM node closed');
    const e = this.entry(unit);
    if (allows(e.rights, access)) return;
    const t0 = performance.now();
    this.stat.fault(unit, access);
    while (!allows(e.rights, access)) {
      const wait = await this.queue.run(unit, () => this.startFault(unit, e, access));
      await wait.done;
    }
    const us = (performance.now() - t0) * 1000;
    this.stat.faultDone(us);
    this.opts.trace?.({ node: this.id, unit, access, us });
    for (const next of this.variant.afterFault?.(unit, access) ?? []) {
      if (next.unit >= 0 && next.unit < this.opts.units) this.fault(next.unit, next.access).catch(() => undefined);
    }
  }

  stats(): DsmStats {
    return this.stat.snapshot(this.transport.rejected());
  }

  /** The `top` units with the most faults on this node. */
  pageStats(top: number): PageStat[] {
    return this.stat.hottest(top);
  }

  /** Fails outstanding faults and closes the transport. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.entries.values()) e.pending?.reject(new DsmError('closed', 'DSM node closed'));
    await this.transport.close();
  }

  // ---- local faults --------------------------------------------------------

  private async startFault(unit: number, e: PageEntry, access: Access): Promise<Wait> {
    if (allows(e.rights, access)) return DONE;
    if (e.pending) return e.pending; // coalesce with the request already in flight
    if (e.owner && e.lazy) {
      this.store.zero ? this.store.zero(unit) : this.store.write(unit, new Uint8Array(this.opts.unitBytes));
      e.lazy = false;
      await this.setRights(unit, e, 'write');
      return DONE;
    }
    const p = (e.pending = newPending(access));
    if (this.debug) this.log.debug({ unit, access, owner: e.owner, rights: e.rights }, 'fault');
    if (e.owner) {
      // Owner holding a read copy: upgrade in place by invalidating the copyset.
      const others = [...e.copyset];
      e.copyset.clear();
      this.invalidate(unit, e, others, e.version++);
      if (others.length === 0) await this.becomeWriter(unit, e);
      return p;
    }
    await this.sendRequest(unit, e, access);
    return p;
  }

  private async sendRequest(unit: number, e: PageEntry, access: Access): Promise<void> {
    this.stat.c.requests++;
    const msg: RequestMsg = { type: 'request', unit, access, requester: this.id, hops: 0 };
    const first = this.variant.manager(unit) ?? e.prob;
    if (first === this.id) await this.onRequest(unit, e, msg);
    else this.send(first, msg);
  }

  // ---- incoming messages -------------------------------------------------

  private receive(from: number, msg: DsmMessage): void {
    const bad = !Number.isSafeInteger(from) || from < 0 || from >= this.n || from === this.id
      ? `sender ${from} is not a peer`
      : checkMessage(msg, { nodes: this.n, units: this.opts.units, unitBytes: this.opts.unitBytes });
    if (bad) {
      this.stat.c.rejected++;
      this.log.warn({ from, type: msg?.type }, `rejected message: ${bad}`);
      return;
    }
    if (this.closed) return;
    this.stat.receivedMsg(msg);
    const e = this.entry(msg.unit);
    this.queue.run(msg.unit, () => this.handle(from, e, msg)).catch((err) => this.fail(err, msg));
  }

  private handle(from: number, e: PageEntry, m: DsmMessage): Promise<void> | void {
    if (this.debug) this.log.debug({ from, m: { ...m, data: undefined }, owner: e.owner, rights: e.rights, pending: e.pending?.access }, 'handle');
    switch (m.type) {
      case 'request':
      case 'forward':
        return this.onRequest(m.unit, e, m);
      case 'page':
        return this.onPage(m.unit, e, m);
      case 'grant':
        return this.onGrant(m.unit, e, m);
      case 'invalidate':
        return this.onInvalidate(from, m.unit, e, m);
      case 'ack':
        return this.onAck(from, m.unit, e, m);
    }
  }

  /** True if serving this request moves ownership to the requester. */
  private transfers(unit: number, e: PageEntry, access: Access, ownerIsLazyHere: boolean): boolean {
    if (access === 'write' || this.variant.readTransfersOwnership?.(unit)) return true;
    return ownerIsLazyHere && e.lazy && this.opts.placement === 'first-touch';
  }

  private async onRequest(unit: number, e: PageEntry, m: RequestMsg, draining?: boolean): Promise<void> {
    if (m.type === 'request' && this.variant.manager(unit) === this.id) {
      // Manager step: pass it to the owner we know, and remember the next owner.
      const owner = e.mgrOwner;
      if (this.transfers(unit, e, m.access, owner === this.id && e.owner)) e.mgrOwner = m.requester;
      if (owner !== this.id) return this.forward(owner, m);
      m = { ...m, type: 'forward' };
    }
    if (draining !== true && e.deferred.length > 0) {
      e.deferred.push(m); // keep arrival order behind requests already waiting here
      this.stat.c.deferred++;
      return;
    }
    if (e.owner && !e.acks && !e.holding) return this.serve(unit, e, m);
    if (e.owner || (e.pending && this.willOwn(unit, e.pending))) {
      e.deferred.push(m); // we own it, or will: answer once our own fault is done
      this.stat.c.deferred++;
      return;
    }
    if (m.requester === this.id) throw new DsmError('protocol', `own request for unit ${unit} came back`);
    const manager = this.variant.manager(unit);
    if (manager !== undefined) {
      // Cannot happen with FIFO links (see docs/dsm.md); ask the manager again rather than drop it.
      this.protocolErrors++;
      this.log.error({ unit, requester: m.requester }, 'request reached a non-owner; re-sent to manager');
      return this.forward(manager, m, 'request');
    }
    const next = e.prob;
    if (this.transfers(unit, e, m.access, false)) e.prob = m.requester; // compress: the requester will own it
    return this.forward(next, m);
  }

  private willOwn(unit: number, p: Pending): boolean {
    return p.access === 'write' || this.variant.readTransfersOwnership?.(unit) === true;
  }

  private forward(to: number, m: RequestMsg, type: RequestMsg['type'] = 'forward'): void {
    if (to === this.id) throw new DsmError('protocol', `unit ${m.unit}: forwarding to self`);
    this.stat.c.forwards++;
    this.send(to, { ...m, type, hops: m.hops + 1 });
  }

  /** Owner side: hand out a copy or the ownership. */
  private async serve(unit: number, e: PageEntry, m: RequestMsg): Promise<void> {
    if (m.requester === this.id) throw new DsmError('protocol', `unit ${unit}: serving own request`);
    const hold = this.variant.holdMs?.(unit, m.access, performance.now() - e.ownedSince) ?? 0;
    if (hold > 0) {
      e.holding = true;
      e.deferred.push(m);
      this.timers.after(hold, () => {
        this.queue.run(unit, () => { e.holding = false; return this.drain(unit, e); }).catch((err) => this.fail(err, m));
      });
      return;
    }
    this.stat.c.hopsServed += m.hops;
    if (this.transfers(unit, e, m.access, true)) {
      let data: Uint8Array | null = null;
      if (!e.lazy) {
        await this.setRights(unit, e, 'none'); // handshake first: every local store is in the frame
        data = this.store.read(unit);
      }
      const copyset = [...e.copyset];
      Object.assign(e, { owner: false, lazy: false, prob: m.requester });
      e.copyset.clear();
      this.send(m.requester, { type: 'grant', unit, version: e.version, copyset, data });
      return;
    }
    let data: Uint8Array | null = null;
    if (e.lazy) {
      this.store.zero ? this.store.zero(unit) : this.store.write(unit, new Uint8Array(this.opts.unitBytes));
      e.lazy = false;
      await this.setRights(unit, e, 'read');
    } else {
      if (e.rights === 'write') await this.setRights(unit, e, 'read');
      data = this.store.read(unit);
    }
    e.copyset.add(m.requester);
    this.send(m.requester, { type: 'page', unit, version: e.version, owner: this.id, data });
  }

  private async onPage(unit: number, e: PageEntry, m: PageMsg): Promise<void> {
    const p = e.pending;
    if (!p || p.access !== 'read' || e.owner) return this.unexpected(m, 'copy nobody asked for');
    if (m.version < p.staleBelow) {
      this.stat.c.staleRetries++; // an invalidation overtook this copy: it is already stale
      return this.sendRequest(unit, e, 'read');
    }
    this.install(unit, m.data);
    e.version = m.version;
    e.prob = m.owner;
    await this.setRights(unit, e, 'read');
    this.finish(unit, e);
  }

  private async onGrant(unit: number, e: PageEntry, m: GrantMsg): Promise<void> {
    if (!e.pending || e.owner) return this.unexpected(m, 'ownership nobody asked for');
    this.install(unit, m.data); // a read copy we still hold has the same bytes (same version)
    Object.assign(e, { owner: true, lazy: false, version: m.version + 1, prob: this.id, ownedSince: performance.now() });
    e.copyset.clear();
    const others = m.copyset.filter((n) => n !== this.id);
    this.invalidate(unit, e, others, m.version);
    if (others.length === 0) await this.becomeWriter(unit, e);
  }

  private async onInvalidate(from: number, unit: number, e: PageEntry, m: InvalidateMsg): Promise<void> {
    this.stat.invalidated(unit);
    if (e.owner) this.unexpected(m, 'invalidation at the owner');
    else if (e.rights !== 'none' && e.version <= m.version) await this.setRights(unit, e, 'none');
    if (e.pending?.access === 'read') e.pending.staleBelow = Math.max(e.pending.staleBelow, m.version + 1);
    this.send(from, { type: 'ack', unit, version: m.version });
  }

  private async onAck(from: number, unit: number, e: PageEntry, m: AckMsg): Promise<void> {
    if (!e.acks?.has(from) || m.version !== e.version - 1) return this.unexpected(m, `ack from ${from} not awaited`);
    e.acks.delete(from);
    if (e.acks.size === 0) await this.becomeWriter(unit, e);
  }

  // ---- helpers --------------------------------------------------------------

  private invalidate(unit: number, e: PageEntry, nodes: number[], version: number): void {
    if (nodes.length === 0) return;
    e.acks = new Set(nodes);
    this.stat.c.invalidationsSent += nodes.length;
    for (const n of nodes) this.send(n, { type: 'invalidate', unit, version, writer: this.id });
  }

  private async becomeWriter(unit: number, e: PageEntry): Promise<void> {
    e.acks = null;
    await this.setRights(unit, e, 'write');
    this.finish(unit, e);
  }

  /** Own fault done: wake the waiters, then (after they ran) answer deferred requests. */
  private finish(unit: number, e: PageEntry): void {
    const p = e.pending;
    e.pending = null;
    p?.resolve();
    if (e.deferred.length > 0) {
      this.timers.defer(() => void this.queue.run(unit, () => this.drain(unit, e)).catch((err) => this.fail(err)));
    }
  }

  private async drain(unit: number, e: PageEntry): Promise<void> {
    const q = e.deferred;
    e.deferred = [];
    for (const [i, m] of q.entries()) {
      await this.onRequest(unit, e, m, true);
      if (e.deferred.length > 0) {
        e.deferred.push(...q.slice(i + 1)); // deferred again: the rest stays behind it, in order
        return;
      }
    }
  }

  private install(unit: number, data: Uint8Array | null): void {
    if (data) this.store.write(unit, data);
    else if (this.store.zero) this.store.zero(unit);
    else this.store.write(unit, new Uint8Array(this.opts.unitBytes));
  }

  private async setRights(unit: number, e: PageEntry, r: PageEntry['rights']): Promise<void> {
    if (e.rights === r) return;
    await this.store.setRights(unit, r);
    e.rights = r;
  }

  private send(to: number, msg: DsmMessage): void {
    if (to === this.id) throw new DsmError('protocol', `unit ${msg.unit}: ${msg.type} to self`);
    if (this.closed) return;
    this.stat.sentMsg(msg);
    this.transport.send(to, msg);
  }

  private unexpected(m: DsmMessage, why: string): void {
    this.stat.c.rejected++;
    this.protocolErrors++;
    this.log.warn({ unit: m.unit, type: m.type }, `ignored message: ${why}`);
  }

  private fail(err: unknown, m?: DsmMessage): void {
    this.protocolErrors++;
    this.log.error({ err, unit: m?.unit, type: m?.type }, 'DSM protocol error');
  }

  private entry(unit: number): PageEntry {
    let e = this.entries.get(unit);
    if (!e) this.entries.set(unit, (e = new PageEntry(this.id, this.initialOwner(unit))));
    return e;
  }

  private initialOwner(unit: number): number {
    switch (this.opts.placement ?? 'node0') {
      case 'node0': return 0;
      case 'interleaved': return unit % this.n;
      case 'first-touch': return this.variant.home(unit);
    }
  }
}
