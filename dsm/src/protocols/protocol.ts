import type { Access } from '../page-store.js';

/** What a protocol variant knows about the cluster it runs in. */
export interface ProtocolContext {
  self: number;
  nodes: number;
  /** The configured manager node (ivy-central); 0 unless set. */
  managerNode: number;
}

/**
 * One IVY manager variant. The core (DsmNode) does the mechanics every variant
 * shares: page states, copysets, invalidation, coalescing, the races; a variant
 * only decides *where requests go* and, through the optional hooks, *when and
 * how* an owner gives a unit away. Later variants (Mirage Δ, ownership on read,
 * prefetch, home-based) are one file each using these hooks.
 */
export interface ProtocolVariant {
  readonly name: string;
  /** The node that tracks `unit`'s owner, or undefined for probable-owner chains (no manager). */
  manager(unit: number): number | undefined;
  /** The node that hands out a never-touched unit under first-touch placement. */
  home(unit: number): number;
  /** On-request-arrival at the owner: keep the unit this many ms more before serving (Mirage Δ). */
  holdMs?(unit: number, access: Access, heldForMs: number): number;
  /** On a read request: hand over ownership instead of a copy (GiantVM). */
  readTransfersOwnership?(unit: number): boolean;
  /** After a local fault resolves: more units to fetch in the background (prefetch). */
  afterFault?(unit: number, access: Access): { unit: number; access: Access }[];
}

export type ProtocolFactory = (ctx: ProtocolContext) => ProtocolVariant;
