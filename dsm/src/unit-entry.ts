import type { RequestMsg } from './messages.js';
import type { Access, Rights } from './page-store.js';

/** This node's own request for a unit (or its upgrade) that has not completed yet. */
export interface Pending {
  access: Access;
  done: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}

/** One node's view of one DSM unit. */
export class UnitEntry {
  /** Rights this node's vCPUs have (mirrors what was last set in the PageStore). */
  rights: Rights = 'none';
  /** This node owns the unit: it holds the copyset and answers requests. */
  owner: boolean;
  /** Owned but never touched: a zero unit with no frame yet. */
  lazy: boolean;
  /** Bumped on every ownership-for-write; read copies carry the version they were taken at. */
  version = 0;
  copyset = new Set<number>();
  /** Probable owner (dynamic variant's hint). */
  prob: number;
  /** The owner as the manager knows it (only meaningful at the unit's manager). */
  mgrOwner: number;
  pending: Pending | null = null;
  /** Invalidations still unacknowledged before this node may write. */
  acks: Set<number> | null = null;
  /** Requests that arrived while this node was about to own the unit, in arrival order. */
  deferred: RequestMsg[] = [];
  /** When this node last got ownership or Write (for hold-time hooks: Mirage Δ). */
  ownedSince = 0;
  holding = false;
  /** Copies of versions below this were invalidated: a copy still in flight (page, update, prefetch) is stale. */
  staleBelow = 0;
  /** Ownership push: this node reserved room and holds the unit for a push on its way (local faults wait for it). */
  expecting: Pending | null = null;
  /** This node pushed the unit away and `prob` names where: a request a manager forwards here late follows `prob`. */
  pushedAway = false;

  constructor(self: number, initialOwner: number) {
    this.owner = initialOwner === self;
    this.lazy = this.owner;
    this.prob = initialOwner;
    this.mgrOwner = initialOwner;
  }
}

export function newPending(access: Access): Pending {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  done.catch(() => undefined); // a fault may have no waiter left when the node closes
  return { access, done, resolve, reject };
}
