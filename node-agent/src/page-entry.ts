/**
 * GPA page-table entries in the agent's terms (rights), on top of the
 * engine's encoding (@unum/vcpu encodeEntry/decodeEntry): R, W (implies R),
 * LAZY (owned here, frame on first touch), frame index.
 */
import { decodeEntry, encodeEntry, layout } from '@unum/vcpu';

/** A page-table entry's rights (a DSM unit's are @unum/dsm's Rights: none, read, write). */
export type PteRights = 'none' | 'r' | 'rw';

/** The entry of a page owned here with no frame yet. */
export const PTE_LAZY = layout.PTE_LAZY;

export function rightsOf(entry: number): PteRights {
  const e = decodeEntry(entry >>> 0);
  return e.write ? 'rw' : e.read ? 'r' : 'none';
}

/** Frame index of an entry, or -1 if it has none. */
export function frameOf(entry: number): number {
  return decodeEntry(entry >>> 0).frame;
}

export function makeEntry(frame: number, rights: PteRights): number {
  return encodeEntry({ read: rights !== 'none', write: rights === 'rw', lazy: false, frame }) | 0;
}

/** True if `next` takes away a right `prev` granted (needs the epoch handshake). */
export function isRevocation(prev: number, next: number): boolean {
  const a = decodeEntry(prev >>> 0);
  const b = decodeEntry(next >>> 0);
  if (a.frame >= 0 && a.frame !== b.frame) return true;
  return (a.read && !b.read) || (a.write && !b.write);
}

/** True if `entry` has a frame and the right `access` needs. */
export function holds(entry: number, access: 'read' | 'write' | 'fetch'): boolean {
  const e = decodeEntry(entry >>> 0);
  return e.frame >= 0 && (access === 'write' ? e.write : e.read);
}
