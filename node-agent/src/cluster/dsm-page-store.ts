/**
 * The DSM's PageStore over the node's FramePool: a DSM unit (4–64 KiB) is
 * `unitBytes / 4096` consecutive guest pages, each its own GPA page-table
 * entry. Rights changes store every entry first and then run the
 * revocation handshake once for the whole unit (if any entry lost a right),
 * so when a revoke resolves no hart can use the old right and all its
 * stores are in the frames the DSM then reads.
 *
 * @example
 *   const store = new FramePoolPageStore(agent.pool, 16384, () => agent.revoke());
 *   const dsm = new DsmNode({ ..., unitBytes: 16384, store });
 */
import type { PageStore, Rights } from '@unum/dsm';
import type { FramePool } from '../frame-pool.js';
import { PAGE_SIZE, RAM_BASE } from '@unum/machine';
import { frameOf, type PteRights } from '../page-entry.js';

const RIGHTS: Record<Rights, PteRights> = { none: 'none', read: 'r', write: 'rw' };

export class FramePoolPageStore implements PageStore {
  private readonly pagesPerUnit: number;

  constructor(
    private readonly pool: FramePool,
    readonly unitBytes: number,
    private readonly revoke: () => Promise<void>,
  ) {
    if (unitBytes % PAGE_SIZE !== 0) throw new RangeError(`unit ${unitBytes} is not a multiple of 4 KiB`);
    this.pagesPerUnit = unitBytes / PAGE_SIZE;
  }

  /** Guest-physical address of page `i` of `unit`. */
  private gpa(unit: number, i: number): number {
    return RAM_BASE + unit * this.unitBytes + i * PAGE_SIZE;
  }

  /** The unit holding guest-physical address `gpa`. */
  unitOf(gpa: number): number {
    return Math.floor((gpa - RAM_BASE) / this.unitBytes);
  }

  /** Frame of a page, giving it a fresh (zeroed, no-rights) one if it has none yet. */
  private frame(gpa: number): number {
    const f = frameOf(this.pool.entry(gpa));
    if (f >= 0) return f;
    const fresh = this.pool.alloc();
    this.pool.map(gpa, fresh, 'none');
    return fresh;
  }

  read(unit: number): Uint8Array {
    const out = new Uint8Array(this.unitBytes);
    for (let i = 0; i < this.pagesPerUnit; i++) out.set(this.pool.frameBytes(this.frame(this.gpa(unit, i))), i * PAGE_SIZE);
    return out;
  }

  write(unit: number, data: Uint8Array): void {
    if (data.length !== this.unitBytes) throw new RangeError(`unit ${unit}: ${data.length} bytes, want ${this.unitBytes}`);
    for (let i = 0; i < this.pagesPerUnit; i++) {
      this.pool.frameBytes(this.frame(this.gpa(unit, i))).set(data.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
    }
  }

  zero(unit: number): void {
    for (let i = 0; i < this.pagesPerUnit; i++) this.pool.frameBytes(this.frame(this.gpa(unit, i))).fill(0);
  }

  async setRights(unit: number, rights: Rights): Promise<void> {
    let revoked = false;
    const mark = async (): Promise<void> => { revoked = true; };
    for (let i = 0; i < this.pagesPerUnit; i++) {
      const gpa = this.gpa(unit, i);
      this.frame(gpa); // granting a right to a page without a frame would map frame -1
      await this.pool.setRights(gpa, RIGHTS[rights], mark);
    }
    if (revoked) await this.revoke();
  }
}
