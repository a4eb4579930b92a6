import type { Lane } from './link-lanes.js';
import type { CreditMsg, DsmMessage, GrantMsg } from './messages.js';
import type { DsmNodeOptions } from './options.js';
import type { Rights } from './page-store.js';
import type { DsmCore, ProtocolVariant } from './protocols/index.js';
import { PushCredits } from './push-credits.js';
import type { StatsCollector } from './stats.js';
import { newPending, type UnitEntry } from './unit-entry.js';

/** What ownership push uses of its node (DsmNode). */
export interface PushHost {
  readonly id: number;
  readonly variant: ProtocolVariant;
  readonly core: DsmCore;
  readonly capacity: DsmNodeOptions['capacity'];
  readonly counters: StatsCollector['c'];
  now(): number;
  send(to: number, msg: DsmMessage, lane?: Lane): void;
  setRights(unit: number, e: UnitEntry, r: Rights): Promise<void>;
  read(unit: number): Uint8Array | Promise<Uint8Array>;
  install(unit: number, data: Uint8Array | null): void;
  /** The unit is settled here: wake local faults, answer deferred requests. */
  finish(unit: number, e: UnitEntry): void;
  unexpected(m: DsmMessage, why: string): void;
}

/**
 * Ownership push (memory full, docs/dsm.md): a full node hands an owned unit
 * to a peer whose memory manager (`capacity`) reserves room for it. The
 * messages are `reserve` → `credit` → `push`, and `pushed` back from a
 * receiving manager. The unit-queue handlers run in the unit's queue; credits
 * are answered outside it (`credit`), since the pusher waits for one inside.
 */
export class OwnershipPush {
  private readonly credits: PushCredits;

  constructor(private readonly node: PushHost, nodes: number) {
    this.credits = new PushCredits(node.id, nodes, () => node.now());
  }

  /**
   * Inside the unit's queue, unit idle and owned here. Ask peers for room one
   * at a time; the first that reserves it gets the unit: this node revokes
   * (handshake), reads, and sends a `push` with the copyset (still valid:
   * nobody writes, so no new version). ivy-central/fixed: only the manager or
   * a peer when this node is the manager, so the manager learns the new owner
   * in its own queue. A variant may refuse pushes (`pushable`: home-based, the
   * home keeps the master copy).
   */
  async pushAway(unit: number, e: UnitEntry): Promise<boolean> {
    const { node } = this;
    if (node.variant.pushable?.(unit) === false) return false;
    const manager = node.variant.manager(unit);
    // The manager pushes only while no write it forwarded is on its way here (one may, after a push to it).
    if (manager === node.id && e.mgrOwner !== node.id) return false;
    const allowed = manager === undefined || manager === node.id ? undefined : [manager];
    for (const to of this.credits.candidates(allowed)) {
      if (!(await this.credits.ask(unit, to, () => node.send(to, { type: 'reserve', unit })))) {
        node.counters.pushRefusals++;
        continue;
      }
      await node.setRights(unit, e, 'none'); // handshake first: every local store is in the frame
      const data = await node.read(unit);
      const msg: GrantMsg = { type: 'push', unit, version: e.version, copyset: [...e.copyset].filter((n) => n !== to), data };
      const extra = node.variant.handingOver?.(node.core, unit, e, to, 'push');
      if (extra?.updateSet) msg.updateSet = extra.updateSet;
      // Until the manager has it (`pushed`), requests it forwards here are stale: they follow `prob`.
      Object.assign(e, { owner: false, lazy: false, prob: to, pushedAway: manager === to });
      if (manager === node.id) e.mgrOwner = to;
      e.copyset.clear();
      node.counters.ownerPushesSent++;
      node.send(to, msg, 'bulk'); // nobody faulted on it
      return true;
    }
    return false;
  }

  /** A peer wants to push us the unit: reserve room if we hold nothing in progress for it, and hold local faults until it comes. */
  onReserve(from: number, unit: number, e: UnitEntry): void {
    const { node } = this;
    const idle = !e.owner && !e.pending && !e.acks && !e.holding && e.deferred.length === 0 && !e.expecting;
    const ok = idle && node.variant.pushable?.(unit) !== false && (node.capacity?.reserve(unit) ?? false);
    if (ok) e.expecting = newPending('write');
    node.send(from, { type: 'credit', unit, ok, spare: node.capacity?.spare() ?? 0 });
  }

  async onPush(from: number, unit: number, e: UnitEntry, m: GrantMsg): Promise<void> {
    const { node } = this;
    const x = e.expecting;
    if (!x || e.owner) return node.unexpected(m, `push from ${from} nobody reserved room for`);
    node.install(unit, m.data); // a read copy we still hold has the same bytes (same version)
    node.capacity?.release(unit);
    node.variant.receivedOwnership?.(node.core, unit, e, from, m);
    Object.assign(e, { owner: true, lazy: false, prob: node.id, ownedSince: node.now(), pushedAway: false, version: m.version });
    // The manager pointed at the pusher unless it forwarded a write there since (that request follows the push here).
    if (node.variant.manager(unit) === node.id) {
      if (e.mgrOwner === from) e.mgrOwner = node.id;
      node.send(from, { type: 'pushed', unit });
    }
    e.copyset = new Set(m.copyset.filter((n) => n !== node.id));
    await node.setRights(unit, e, 'read'); // the copies stay valid: Read, an upgrade in place on the next write
    node.counters.ownerPushesReceived++;
    e.expecting = null;
    x.resolve();
    node.finish(unit, e); // answers requests deferred while the push was on its way
  }

  /** The manager has the unit: its forwards from now on are ordered after it. */
  onPushed(e: UnitEntry): void {
    e.pushedAway = false;
  }

  /** A `credit` arrived (outside the unit queue); false if nobody asked `from` about this unit. */
  onCredit(from: number, m: CreditMsg): boolean {
    return this.credits.answer(from, m);
  }

  close(err: Error): void {
    this.credits.close(err);
  }
}
