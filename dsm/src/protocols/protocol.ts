import type { Access } from '../page-store.js';

/** Tuning knobs of the modifiers and bases that have one (DsmNodeOptions passes them through). */
export interface ProtocolKnobs {
  /** Mirage Δ in ms (modifier `mirage`, default 1). */
  mirageMs?: number;
  /** Units after a read fault to prefetch (modifier `prefetch`, default 4). */
  prefetchUnits?: number;
  /** Writes by one node beyond the home's own before the home migrates to it (base `home-based`, default 3). */
  homeMigrateAfter?: number;
}

/** A knob's default and allowed range; declared by the base or modifier that reads it. */
export interface KnobSpec {
  name: keyof ProtocolKnobs;
  default: number;
  min: number;
  max: number;
  /** false: fractions allowed (Mirage Δ). */
  integer: boolean;
}

/** What a protocol variant knows about the cluster it runs in. */
export interface ProtocolContext {
  self: number;
  nodes: number;
  /** The configured manager node (ivy-central); 0 unless set. */
  managerNode: number;
  /** Set knobs; createProtocol hands factories every knob the protocol reads, defaults filled in. */
  knobs?: ProtocolKnobs;
}

/** Home-based bases: the core asks the variant where a unit's home is and when it moves. */
export interface HomePolicy {
  /** At the home, for every write fault it handles (its own or a remote one): true = migrate the home to `writer`. */
  noteWrite(unit: number, writer: number): boolean;
  /** This node learned that `unit`'s home is `node` (itself after a migration to it). */
  moveHome(unit: number, node: number): void;
}

/**
 * One protocol variant. The core (DsmNode) does the mechanics every variant
 * shares: page states, copysets, invalidation, coalescing, the races; a variant
 * decides *where requests go* and, through the optional hooks, *when and how*
 * an owner gives a unit away. A name is a base (where requests go) plus
 * modifiers (the hooks), see registry.ts.
 */
export interface ProtocolVariant {
  readonly name: string;
  /** The knobs in effect (set by createProtocol): every knob this variant reads, defaults filled in. */
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
  /** Write-update: an owner that downgrades pushes the new copy (`update`) to the sharers its last write invalidated. */
  writeUpdate?: boolean;
  /** Home-based: the home serves every fault and keeps the master copy; `manager()` is the (migratable) home. */
  homeBased?: HomePolicy;
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
