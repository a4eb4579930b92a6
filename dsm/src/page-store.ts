/**
 * What the DSM needs from a node: its frames for DSM units and the per-unit
 * access rights the vCPUs see (the node agent's FramePool implements this over
 * the GPA page table; `MemoryPageStore` implements it for tests).
 */
export type Rights = 'none' | 'read' | 'write';
export type Access = 'read' | 'write';

export interface PageStore {
  /**
   * A copy of the unit's bytes. Called after write rights are revoked (or never granted), so it is stable.
   * May be async (a unit the node swapped out is read back from its swap file).
   */
  read(unit: number): Uint8Array | Promise<Uint8Array>;
  /** Install the unit's bytes. Called while no local vCPU can write the unit. */
  write(unit: number, data: Uint8Array): void;
  /**
   * Set the rights of every 4 KiB page of the unit. Granting resolves at once;
   * revoking resolves only after the revocation handshake, i.e. when no local
   * vCPU can still use the stronger right and every store made under it is in
   * the frame (the engine also clears LR reservations then).
   */
  setRights(unit: number, rights: Rights): Promise<void>;
  /** Install a zero unit (first touch); defaults to `write(unit, zeros)`. */
  zero?(unit: number): void;
}

const rank: Record<Rights, number> = { none: 0, read: 1, write: 2 };

/** True if `rights` allow `access`. */
export function allows(rights: Rights, access: Access): boolean {
  return rank[rights] >= rank[access];
}

/** True if going from `from` to `to` takes a right away (needs the handshake). */
export function weakens(from: Rights, to: Rights): boolean {
  return rank[to] < rank[from];
}
