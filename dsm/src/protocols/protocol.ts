import type { Access } from '../page-store.js';

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
