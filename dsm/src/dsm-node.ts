import { DsmError } from './errors.js';
import type { Lane } from './link-lanes.js';
import { checkMessage, type AckMsg, type DsmMessage, type GrantMsg, type InvalidateMsg, type PageMsg, type RequestMsg } from './messages.js';
import type { DsmNodeOptions } from './options.js';
import { NodeBase } from './node-base.js';
import { OwnershipPush } from './ownership-push.js';
import type { DsmCore } from './protocols/index.js';
import { newPending, type UnitEntry, type Pending } from './unit-entry.js';
import { allows, type Access } from './page-store.js';

type Wait = { done: Promise<void> };
const DONE: Wait = { done: Promise.resolve() };

/**
 * One node of the DSM: IVY's sequentially consistent page coherence. The node
 * agent calls `fault()` when a vCPU takes a page exit; it resolves once this
 * node's rights for the unit suffice. Everything a variant does not decide
 * (states, copysets, invalidation, coalescing, races) lives here.
 *
 * @example
 *   const node = new DsmNode({ id: 1, nodes: 3, protocol: protocolSpec('ivy-dynamic'), unitBytes: 4096,
 *     units: 1024, store, transport });
 *   await node.fault(7, 'write'); // node 1 now owns unit 7 exclusively
 */
export class DsmNode extends NodeBase {
  /** What the variant's mechanism hooks may use of this node. */
  private readonly core: DsmCore;
  private readonly push: OwnershipPush;

  constructor(opts: DsmNodeOptions) {
    super(opts);
    this.core = {
      id: this.id, units: opts.units, placement: opts.placement ?? 'node0', variant: this.variant, counters: this.stat.c,
      now: this.now,
      entry: (unit) => this.entry(unit),
      inQueue: (unit, fn) => this.queue.run(unit, fn),
      send: (to, msg, lane) => this.send(to, msg, lane),
      forward: (to, m, type) => this.forward(to, m, type),
      defer: (e, m) => this.defer(e, m),
      readCopy: (unit, e) => this.readCopy(unit, e),
      bulkYield: opts.bulkYield,
      fail: (err, m) => this.fail(err, m),
    };
    this.push = new OwnershipPush({
      id: this.id, variant: this.variant, core: this.core, capacity: opts.capacity, counters: this.stat.c,
      now: this.now,
      send: (to, msg, lane) => this.send(to, msg, lane),
      setRights: (unit, e, r) => this.setRights(unit, e, r),
      read: (unit) => this.store.read(unit),
      install: (unit, data) => this.install(unit, data),
      finish: (unit, e) => this.finish(unit, e),
      unexpected: (m, why) => this.unexpected(m, why),
    }, opts.nodes);
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

  // ---- local faults --------------------------------------------------------

  private async startFault(unit: number, e: UnitEntry, access: Access): Promise<Wait> {
    if (allows(e.rights, access)) return DONE;
    if (e.pending) return e.pending; // coalesce with the request already in flight
    if (e.expecting) return e.expecting; // a peer is pushing us the unit: fault once we own it
    this.variant.localFault?.(unit, access);
    if (e.owner && e.lazy) {
      this.install(unit, null);
      e.lazy = false;
      e.ownedSince = this.now();
      await this.setRights(unit, e, 'write');
      return DONE;
    }
    const p = (e.pending = newPending(access));
    if (this.debug) this.log.debug({ unit, access, owner: e.owner, rights: e.rights }, 'fault');
    if (e.owner) {
      // Owner holding a read copy: upgrade in place by invalidating the copyset.
      const others = [...e.copyset];
      e.copyset.clear();
      this.variant.revoking?.(unit, others);
      this.invalidate(unit, e, others, e.version++);
      if (others.length === 0) await this.becomeWriter(unit, e);
      return p;
    }
    await this.sendRequest(unit, e, access);
    return p;
  }

  private async sendRequest(unit: number, e: UnitEntry, access: Access): Promise<void> {
    this.stat.c.requests++;
    const msg: RequestMsg = { type: 'request', unit, access, requester: this.id, hops: 0 };
    const k = access === 'read' ? this.variant.prefetch?.(unit) ?? 0 : 0;
    if (k > 0) msg.prefetch = k;
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
    if (msg.type === 'credit') {
      // Outside the unit queue: the pusher waits for it inside that queue.
      if (!this.push.onCredit(from, msg)) this.unexpected(msg, `credit from ${from} nobody asked for`);
      return;
    }
    const e = this.entry(msg.unit);
    this.queue.run(msg.unit, () => this.handle(from, e, msg)).catch((err) => this.fail(err, msg));
  }

  private handle(from: number, e: UnitEntry, m: DsmMessage): Promise<void> | void {
    if (this.debug) this.log.debug({ from, m: { ...m, data: undefined }, owner: e.owner, rights: e.rights, pending: e.pending?.access }, 'handle');
    switch (m.type) {
      case 'request':
      case 'forward':
        return this.onRequest(m.unit, e, m);
      case 'page':
        return this.onPage(m.unit, e, m);
      case 'update':
      case 'prefetch':
        return m.owner === from ? this.onPushedCopy(m.unit, e, m) : this.unexpected(m, `pushed by ${from} in the name of ${m.owner}`);
      case 'grant':
        return this.onGrant(from, m.unit, e, m);
      case 'invalidate':
        return this.onInvalidate(from, m.unit, e, m);
      case 'ack':
        return this.onAck(from, m.unit, e, m);
      case 'reserve':
        return this.push.onReserve(from, m.unit, e);
      case 'push':
        return this.push.onPush(from, m.unit, e, m);
      case 'pushed':
        return this.push.onPushed(e);
      case 'credit':
        return; // answered in receive()
    }
  }

  /** True if serving this request moves ownership to the requester. */
  private transfers(unit: number, e: UnitEntry, access: Access, ownerIsLazyHere: boolean): boolean {
    if (access === 'write' || this.variant.readTransfersOwnership?.(unit)) return true;
    if (this.variant.readGrant?.(unit)) return true;
    return ownerIsLazyHere && e.lazy && this.opts.placement === 'first-touch';
  }

  private async onRequest(unit: number, e: UnitEntry, m: RequestMsg, draining?: boolean): Promise<void> {
    const manager = this.variant.manager(unit);
    const routed = this.variant.routeRequest ? this.variant.routeRequest(this.core, unit, e, m) : this.managerStep(unit, e, m, manager);
    if (!routed) return;
    m = routed;
    if (e.pushedAway && !e.owner && manager !== undefined) {
      // The manager forwarded this before it got our push: it is ordered before any request of ours, pass it on.
      const next = e.prob;
      if (this.transfers(unit, e, m.access, false)) e.prob = m.requester;
      return this.forward(next, m);
    }
    if (draining !== true && e.deferred.length > 0) return this.defer(e, m); // keep arrival order
    if (e.owner && !e.acks && !e.holding) return this.serve(unit, e, m);
    if (e.owner || e.expecting || (e.pending && this.willOwn(unit, e.pending))) return this.defer(e, m); // answer once our own fault (or the push) is done
    if (this.variant.unownedRequest?.(this.core, unit, e, m)) return;
    if (m.requester === this.id) throw new DsmError('protocol', `own request for unit ${unit} came back`);
    if (manager === this.id && e.mgrOwner !== this.id) {
      // A read the manager forwarded to an owner that pushed the unit here; it went on since: pass it to the owner we know.
      return this.forward(e.mgrOwner, m);
    }
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

  /** IVY's manager step (the default `routeRequest`): pass a request to the owner we know, and remember the next owner. */
  private managerStep(unit: number, e: UnitEntry, m: RequestMsg, manager: number | undefined): RequestMsg | undefined {
    if (m.type !== 'request' || manager !== this.id) return m;
    const owner = e.mgrOwner;
    if (this.transfers(unit, e, m.access, owner === this.id && e.owner)) e.mgrOwner = m.requester;
    if (owner !== this.id) return void this.forward(owner, m);
    return { ...m, type: 'forward' };
  }

  private defer(e: UnitEntry, m: RequestMsg): void {
    e.deferred.push(m);
    this.stat.c.deferred++;
  }

  private willOwn(unit: number, p: Pending): boolean {
    return p.access === 'write' || this.variant.faultsOwn?.(unit) === true || this.variant.readTransfersOwnership?.(unit) === true;
  }

  private forward(to: number, m: RequestMsg, type: RequestMsg['type'] = 'forward'): void {
    if (to === this.id) throw new DsmError('protocol', `unit ${m.unit}: forwarding to self`);
    this.stat.c.forwards++;
    this.send(to, { ...m, type, hops: m.hops + 1 });
  }

  /** Owner side: hand out a copy or the ownership. */
  private async serve(unit: number, e: UnitEntry, m: RequestMsg): Promise<void> {
    if (m.requester === this.id) throw new DsmError('protocol', `unit ${unit}: serving own request`);
    const transfer = this.transfers(unit, e, m.access, true);
    const hold = !e.lazy && (transfer || e.rights === 'write') ? this.variant.holdMs?.(unit, m.access, this.now() - e.ownedSince) ?? 0 : 0;
    if (hold > 0) {
      this.stat.c.holds++;
      e.holding = true;
      e.deferred.push(m);
      this.timers.after(hold, () => {
        this.queue.run(unit, () => { e.holding = false; return this.drain(unit, e); }).catch((err) => this.fail(err, m));
      });
      return;
    }
    this.stat.c.hopsServed += m.hops;
    const copiesBefore = this.stat.c.prefetchesSent;
    await Promise.all(this.variant.serveAhead?.(this.core, unit, m) ?? []); // copies sent ahead of the reply (prefetch)
    // The reply follows its copies (they must arrive first), so with copies sent it rides in their lane.
    const lane: Lane = this.stat.c.prefetchesSent > copiesBefore ? 'bulk' : 'fault';
    if (transfer) await this.grant(unit, e, m, lane);
    else {
      const data = await this.readCopy(unit, e);
      e.copyset.add(m.requester);
      this.send(m.requester, { type: 'page', unit, version: e.version, owner: this.id, data }, lane);
      this.variant.servedCopy?.(this.core, unit, e, data, m.requester);
    }
  }

  /** Ownership transfer. A read grant (`readGrant`, a home-based recall for a read): this node keeps a Read copy. */
  private async grant(unit: number, e: UnitEntry, m: RequestMsg, lane: Lane = 'fault'): Promise<void> {
    const keepCopies = m.access === 'read' && this.variant.readGrant?.(unit) === true;
    const keepMine = keepCopies && !e.lazy;
    let data: Uint8Array | null = null;
    if (!e.lazy) {
      await this.setRights(unit, e, keepMine ? 'read' : 'none'); // handshake first: every local store is in the frame
      data = await this.store.read(unit);
    }
    const copyset = [...e.copyset, ...(keepMine ? [this.id] : [])];
    const extra = this.variant.handingOver?.(this.core, unit, e, m.requester, m.access);
    Object.assign(e, { owner: false, lazy: false, prob: m.requester });
    e.copyset.clear();
    const msg: GrantMsg = { type: 'grant', unit, version: e.version, copyset, data };
    if (keepCopies) msg.keepCopies = true;
    if (extra?.home) msg.home = true;
    if (extra?.updateSet) msg.updateSet = extra.updateSet;
    this.send(m.requester, msg, lane);
  }

  private async onPage(unit: number, e: UnitEntry, m: PageMsg): Promise<void> {
    const p = e.pending;
    if (!p || p.access !== 'read' || e.owner) return this.unexpected(m, 'copy nobody asked for');
    if (m.version < e.staleBelow) {
      this.stat.c.staleRetries++; // an invalidation overtook this copy: it is already stale
      return this.sendRequest(unit, e, 'read');
    }
    await this.installCopy(unit, e, m);
    this.finish(unit, e);
  }

  private async installCopy(unit: number, e: UnitEntry, m: PageMsg): Promise<void> {
    this.install(unit, m.data);
    e.version = m.version;
    e.prob = m.owner;
    this.variant.copyInstalled?.(unit, m.owner);
    await this.setRights(unit, e, 'read');
  }

  /** A copy nobody faulted on (write-update, prefetch): take it only if this node holds nothing and it is not stale. */
  private async onPushedCopy(unit: number, e: UnitEntry, m: PageMsg): Promise<void> {
    if (e.owner || e.pending || e.rights !== 'none' || m.version < e.staleBelow) {
      this.stat.c.pushesDropped++; // still in the owner's copyset: its next write invalidates us, harmlessly
      return;
    }
    this.stat.c.pushesInstalled++;
    await this.installCopy(unit, e, m);
  }

  private async onGrant(from: number, unit: number, e: UnitEntry, m: GrantMsg): Promise<void> {
    if (!e.pending || e.owner) return this.unexpected(m, 'ownership nobody asked for');
    this.install(unit, m.data); // a read copy we still hold has the same bytes (same version)
    this.variant.receivedOwnership?.(this.core, unit, e, from, m);
    Object.assign(e, { owner: true, lazy: false, prob: this.id, ownedSince: this.now(), pushedAway: false });
    e.copyset.clear();
    const others = m.copyset.filter((n) => n !== this.id);
    if (m.keepCopies) {
      // Read grant: the copies stay valid, nobody writes, so no new version.
      e.version = m.version;
      for (const n of others) e.copyset.add(n);
      await this.setRights(unit, e, 'read');
      return this.finish(unit, e);
    }
    e.version = m.version + 1;
    this.invalidate(unit, e, others, m.version);
    if (others.length === 0) await this.becomeWriter(unit, e);
  }

  private async onInvalidate(from: number, unit: number, e: UnitEntry, m: InvalidateMsg): Promise<void> {
    this.stat.invalidated(unit);
    if (e.owner) this.unexpected(m, 'invalidation at the owner');
    else if (e.rights !== 'none' && e.version <= m.version) await this.setRights(unit, e, 'none');
    e.staleBelow = Math.max(e.staleBelow, m.version + 1);
    this.send(from, { type: 'ack', unit, version: m.version });
  }

  private async onAck(from: number, unit: number, e: UnitEntry, m: AckMsg): Promise<void> {
    if (!e.acks?.has(from) || m.version !== e.version - 1) return this.unexpected(m, `ack from ${from} not awaited`);
    e.acks.delete(from);
    if (e.acks.size === 0) await this.becomeWriter(unit, e);
  }

  // ---- ownership push (ownership-push.ts) -----------------------------------

  protected pushAway(unit: number, e: UnitEntry): Promise<boolean> {
    return this.push.pushAway(unit, e);
  }

  override async close(): Promise<void> {
    if (!this.closed) this.push.close(new DsmError('closed', 'DSM node closed'));
    return super.close();
  }

  // ---- helpers --------------------------------------------------------------

  private async becomeWriter(unit: number, e: UnitEntry): Promise<void> {
    e.acks = null;
    e.ownedSince = this.now();
    await this.setRights(unit, e, 'write');
    this.finish(unit, e);
  }

  /** Own fault done: wake the waiters, then (after they ran) answer deferred requests. */
  private finish(unit: number, e: UnitEntry): void {
    const p = e.pending;
    e.pending = null;
    p?.resolve();
    if (e.deferred.length > 0) {
      this.timers.defer(() => void this.queue.run(unit, () => this.drain(unit, e)).catch((err) => this.fail(err)));
    }
  }

  private async drain(unit: number, e: UnitEntry): Promise<void> {
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
}
