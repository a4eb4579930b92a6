/**
 * The CLINT served inside the vCPU worker for harts on this node: msip is
 * the MSIP pin in the target hart's host-IRQ word, mtimecmp the target's
 * mtimecmp word (the engine raises MTIP from it), mtime the shared Clock.
 * No main-thread round trip. Harts on other nodes: `serves()` is false and
 * the worker forwards the access like device MMIO (the cluster routes it).
 */
import { decodeClint, mergeReg, sliceReg } from '@unum/machine';
import type { Clock } from './clock.js';
import type { HartWords } from './hart-words.js';
import { IRQ_MSIP } from './node-layout.js';
import { hartSetOf, type HartSet } from './local-hart-set.js';

export class LocalClint {
  private readonly local: HartSet | undefined;

  /** `localHarts`: the harts on this node, a live set when harts migrate (default: all `hartCount`). */
  constructor(private readonly harts: HartWords, private readonly clock: Pick<Clock, 'mtimeBig'>, private readonly hartCount: number,
    localHarts?: HartSet | readonly number[]) {
    this.local = localHarts && hartSetOf(localHarts);
  }

  /** False for msip/mtimecmp of a hart on another node: the access is forwarded to it. */
  serves(gpa: number): boolean {
    const r = decodeClint(gpa);
    return !this.local || (r.reg !== 'msip' && r.reg !== 'mtimecmp') || r.hart >= this.hartCount || this.local.has(r.hart);
  }

  read(gpa: number, size: number): bigint {
    const r = decodeClint(gpa);
    switch (r.reg) {
      case 'msip':
        return r.hart < this.hartCount && this.harts.hostIrq(r.hart) & IRQ_MSIP ? 1n : 0n;
      case 'mtimecmp':
        return r.hart < this.hartCount ? sliceReg(this.harts.mtimecmp(r.hart), r.high, size) : 0n;
      case 'mtime':
        return sliceReg(this.clock.mtimeBig(), r.high, size);
      case 'none':
        return 0n;
    }
  }

  write(gpa: number, size: number, value: bigint): void {
    const r = decodeClint(gpa);
    if (r.reg === 'msip' && r.hart < this.hartCount) {
      this.harts.setIrq(r.hart, IRQ_MSIP, (value & 1n) === 1n);
    } else if (r.reg === 'mtimecmp' && r.hart < this.hartCount) {
      this.harts.setMtimecmp(r.hart, mergeReg(this.harts.mtimecmp(r.hart), r.high, size, value));
    }
    // mtime is read-only here: one clock for the whole machine (docs/time.md)
  }
}
