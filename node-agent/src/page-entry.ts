/**
 * GPA page-table entries (docs/architecture.md): bit0 R, bit1 W (implies R),
 * bit2 LAZY (owned here, frame allocated on first touch), bits 4..31 =
 * frame index + 1 (0 = no frame).
 */
export type Rights = 'none' | 'r' | 'rw';

export const PTE_R = 1;
export const PTE_W = 2;
export const PTE_LAZY = 4;
const FRAME_SHIFT = 4;

export function rightsBits(r: Rights): number {
  return r === 'rw' ? PTE_R | PTE_W : r === 'r' ? PTE_R : 0;
}

export function rightsOf(entry: number): Rights {
  return entry & PTE_W ? 'rw' : entry & PTE_R ? 'r' : 'none';
}

/** Frame index of an entry, or -1 if it has none. */
export function frameOf(entry: number): number {
  return (entry >>> FRAME_SHIFT) - 1;
}

export function makeEntry(frame: number, rights: Rights): number {
  return (((frame + 1) << FRAME_SHIFT) | rightsBits(rights)) | 0;
}

/** True if `next` takes away a right `prev` granted (needs the epoch handshake). */
export function isRevocation(prev: number, next: number): boolean {
  const lost = (prev & (PTE_R | PTE_W)) & ~(next & (PTE_R | PTE_W));
  return lost !== 0 || (frameOf(prev) !== frameOf(next) && frameOf(prev) >= 0);
}

/** True if `entry` has a frame and the right `access` needs. */
export function holds(entry: number, access: 'read' | 'write' | 'fetch'): boolean {
  return frameOf(entry) >= 0 && (access === 'write' ? (entry & PTE_W) !== 0 : (entry & PTE_R) !== 0);
}
