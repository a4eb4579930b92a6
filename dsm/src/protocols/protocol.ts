import type { Lane } from '../link-lanes.js';
import type { GrantMsg, PageMsg, RequestMsg } from '../messages.js';
import type { Placement } from '../options.js';
import type { Access } from '../page-store.js';
import type { StatsCollector } from '../stats.js';
import type { UnitEntry } from '../unit-entry.js';

/**
 * Knob values by knob name (`mirageMs`, `prefetchUnits`, ...). Which knobs
 * exist is whatever the registered variants declare in their KnobSpecs: a new
 * knob is its KnobSpec and nothing else.
 */
export type ProtocolKnobs = Readonly<Record<string, number>>;

/** A knob: declared by the base or modifier that reads it; flags, wire and stats derive from it. */
export interface KnobSpec {
  /** Key in ProtocolKnobs (camelCase). */
  name: string;
  /** Command-line flag without the dashes (`mirage-ms`). */
  flag: string;
  /** One line for --help. */
  help: string;
  /** What the flag's value is called in --help (`--mirage-ms <ms>`; default `n`). */
  valueName?: string;
  /** How a variant label shows a value: `Δ=0.25ms`. */
  label(v: number): string;
  default: number;
  min: number;
  max: number;
  /** false: fractions allowed (Mirage Δ). */
  integer: boolean;
}

/**
 * A DSM protocol as parsed and checked once (`protocolSpec`): a base, its
 * modifiers in canonical order, and every knob the protocol reads with its
 * value in effect. This is what travels to agents (protos/dsm.proto) and reaches DsmNode.
 */
export type { ProtocolSpec } from '@unum/protos/dsm';

/** What a protocol variant knows about the cluster it runs in. */
export interface ProtocolContext {
  self: number;
  nodes: number;
  /** The configured manager node (ivy-central); 0 unless set. */
  managerNode: number;
  /** Every knob the protocol reads, with its value in effect. */
  knobs: ProtocolKnobs;
}

/**
 * What a mechanism's hooks may use of the node they run in (DsmNode hands its
 * own). Hooks run inside the unit's queue, like the core code around them.
 */
export interface DsmCore {
  readonly id: number;
  readonly units: number;
  readonly placement: Placement;
  /** The node's variant as composed (a modifier's hook sees the later modifiers' hooks here, not in its `base`). */
  readonly variant: ProtocolVariant;
  readonly counters: StatsCollector['c'];
  now(): number;
  entry(unit: number): UnitEntry;
  /** Run `fn` in `unit`'s queue (atomic with every other event on it). */
  inQueue(unit: number, fn: () => Promise<void>): Promise<void>;
  send(to: number, msg: PageMsg | RequestMsg, lane?: Lane): void;
  /** Pass a request on (counts `forwards`, adds a hop); `type` 'request' keeps it a request. */
  forward(to: number, m: RequestMsg, type?: RequestMsg['type']): void;
  /** Answer `m` later, in arrival order, once this node's own fault on the unit is done. */
  defer(e: UnitEntry, m: RequestMsg): void;
  /** The unit's bytes to hand out as a read copy; this node keeps Read (null = a zero unit). */
  readCopy(unit: number, e: UnitEntry): Promise<Uint8Array | null>;
  /** DsmNodeOptions.bulkYield: lets other work in between chunks of a batch (unset: produce it at once). */
  readonly bulkYield?: () => Promise<void>;
  fail(err: unknown, m?: RequestMsg): void;
}

/** What a grant or push carries besides ownership, data and copyset (home-based: `home`; write-update: `updateSet`). */
export type HandOver = Pick<GrantMsg, 'home' | 'updateSet'>;

/**
 * One protocol variant. The core (DsmNode) does the mechanics every variant
 * shares: IVY's page states, copysets, invalidation, coalescing, the races; a
 * variant decides *where requests go* and, through the optional hooks, *when
 * and how* an owner gives a unit away. Mechanisms beyond IVY (home-based,
 * write-update, prefetch) are hooks too, each in its variant's file. A name is
 * a base (where requests go) plus modifiers (the hooks), see registry.ts. A
 * modifier that sets a hook its base may also set composes with `base`'s.
 */
export interface ProtocolVariant {
  readonly name: string;
  /** The knobs in effect (set by createProtocol): every knob this variant reads. */
  readonly knobs?: ProtocolKnobs;
  /** The node that tracks `unit`'s owner, or undefined for probable-owner chains (no manager). */
  manager(unit: number): number | undefined;
  /** The node that hands out a never-touched unit under first-touch placement. */
  home(unit: number): number;
  /** Before the owner gives something away (ownership or its Write): keep the unit this many ms more (Mirage Δ). */
  holdMs?(unit: number, access: Access, heldForMs: number): number;
  /** On a read request: hand over ownership instead of a copy (GiantVM). */
  readTransfersOwnership?(unit: number): boolean;
  /** After a local fault resolves: more units to fetch in the background (one fault each). */
  afterFault?(unit: number, access: Access): { unit: number; access: Access }[];
  /** On a read fault: ask the owner to also send copies of the next k units it owns (one request, k `prefetch` copies). */
  prefetch?(unit: number): number;
  /** false: owners never push this unit away for room, nor reserve room for it (home-based: the home keeps the master copy). */
  pushable?(unit: number): boolean;

  // ---- mechanism hooks, in the order a fault meets them ----------------------

  /** A local fault needs the protocol (not coalesced, not satisfied locally). */
  localFault?(unit: number, access: Access): void;
  /** An owner holding Read upgrades in place: it revokes the copies of `nodes` (write-update remembers them). */
  revoking?(unit: number, nodes: number[]): void;
  /**
   * A request or forward arrives (or is drained): where it goes before the
   * owner logic. Returns the message to go on with, or undefined when the
   * hook passed it on. Default: IVY's manager step (pass it to the owner the
   * manager records, and record the next owner).
   */
  routeRequest?(core: DsmCore, unit: number, e: UnitEntry, m: RequestMsg): RequestMsg | undefined;
  /** A request reached a node that neither owns the unit nor is about to: true if the hook took it (home-based: the home recalls it). */
  unownedRequest?(core: DsmCore, unit: number, e: UnitEntry, m: RequestMsg): boolean;
  /** This node's faults on `unit` always end with it owning the unit (home-based: the home's faults are recalls). */
  faultsOwn?(unit: number): boolean;
  /** Answer a read request with a read grant: ownership moves, this node keeps Read, the copies stay valid (home-based, at a non-home). */
  readGrant?(unit: number): boolean;
  /** Before the owner answers `m` (after any hold): copies it sends ahead of the reply, one promise per unit queue it runs in (prefetch). */
  serveAhead?(core: DsmCore, unit: number, m: RequestMsg): Promise<void>[];
  /** The owner handed `requester` a read copy of `data` (version `e.version`); write-update pushes its `update`s here. */
  servedCopy?(core: DsmCore, unit: number, e: UnitEntry, data: Uint8Array | null, requester: number): void;
  /** Ownership leaves for `to` (a grant for `why`, or an ownership push): what the message carries besides the copyset. */
  handingOver?(core: DsmCore, unit: number, e: UnitEntry, to: number, why: Access | 'push'): HandOver;
  /** Ownership arrived from `from` (before the core takes it, `e` still says not owner). */
  receivedOwnership?(core: DsmCore, unit: number, e: UnitEntry, from: number, m: GrantMsg): void;
  /** A read copy sent by `owner` was installed (page, update or prefetch). */
  copyInstalled?(unit: number, owner: number): void;
}

export type ProtocolFactory = (ctx: ProtocolContext) => ProtocolVariant;

/** A modifier wraps a base variant with hooks; `name` is its part of the protocol name. */
export interface ProtocolModifier {
  name: string;
  /** Knob this modifier reads (setting it without the modifier is an error). */
  knob?: KnobSpec;
  /** Modifiers it cannot be combined with. */
  excludes?: string[];
  apply(base: ProtocolVariant, ctx: ProtocolContext): ProtocolVariant;
}
