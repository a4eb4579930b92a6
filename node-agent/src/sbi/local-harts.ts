/**
 * The SBI's view of the harts placed on this node, on node shared memory;
 * usable from any thread of the node (a vCPU worker serving an ecall, or
 * the main thread applying a request that came from another node).
 *
 * - IPI: SSIP is set in the target's software-writable mip word (an atomic
 *   OR; the engine updates that word atomically too), then the target is
 *   woken if it sleeps in WFI. A running hart takes it at its next slice.
 * - Fences: one node epoch bump, then wait until each target has left
 *   run() or acknowledged it. Acknowledging drops the hart's whole TLB and
 *   decode cache (the DSM's revocation handshake), so every fence kind is
 *   covered; other harts of the node flush too (conservative).
 * - HSM: the HsmTable.
 */
import { bumpEpoch, layout, waitForEpoch, waitForEpochSync } from '@unum/vcpu';
import { HsmTable } from './hsm-table.js';
import { guarded, hartSetOf, type HartSet } from '../local-hart-set.js';
import { HSM_STOPPED, HSM_STARTED, SBI_ERR_ALREADY_AVAILABLE, SBI_ERR_INVALID_PARAM, SBI_SUCCESS } from './sbi-abi.js';

const { HART_BASE, HART_STRIDE, H_MIP, H_HOST_IRQ } = layout;
export const MIP_SSIP = 1 << 1;

export class LocalHarts {
  private readonly i32: Int32Array;
  private readonly local: HartSet;

  /** `localHarts`: the harts here (a live LocalHartSet when harts migrate). */
  constructor(private readonly memory: WebAssembly.Memory, readonly hsm: HsmTable, localHarts: HartSet | readonly number[]) {
    this.i32 = new Int32Array(memory.buffer);
    this.local = hartSetOf(localHarts);
  }

  has(hart: number): boolean {
    return this.local.has(hart);
  }

  /** Run a check-then-write of local harts' state so that a hart cannot migrate away in between. */
  guarded<T>(fn: () => T): T {
    return guarded(this.local, fn);
  }

  /** Split a hart list into this node's and the others'. */
  split(harts: readonly number[]): { local: number[]; remote: number[] } {
    const local: number[] = [];
    const remote: number[] = [];
    for (const h of harts) (this.local.has(h) ? local : remote).push(h);
    return { local, remote };
  }

  private word(hart: number, off: number): number {
    return (HART_BASE + hart * HART_STRIDE + off) >> 2;
  }

  private own(harts: readonly number[]): void {
    for (const h of harts) if (!this.local.has(h)) throw new RangeError(`hart ${h} is not on this node`);
  }

  /** Raise SSIP on local harts and wake them. */
  sendIpi(harts: readonly number[]): void {
    this.own(harts);
    for (const h of harts) {
      Atomics.or(this.i32, this.word(h, H_MIP), MIP_SSIP);
      Atomics.notify(this.i32, this.word(h, H_HOST_IRQ)); // a WFI sleeper re-checks
      this.hsm.wake(h);
    }
  }

  /** Clear SSIP (legacy clear_ipi). */
  clearIpi(hart: number): void {
    Atomics.and(this.i32, this.word(hart, H_MIP), ~MIP_SSIP);
  }

  /** Worker thread: flush the local harts' translations and decoded code, and wait for it. */
  fenceSync(harts: readonly number[]): void {
    this.own(harts);
    if (harts.length) waitForEpochSync(this.memory, bumpEpoch(this.memory), harts);
  }

  /** Main thread: the same, without blocking the event loop. */
  async fence(harts: readonly number[]): Promise<void> {
    this.own(harts);
    if (harts.length) await waitForEpoch(this.memory, bumpEpoch(this.memory), harts);
  }

  /** HSM hart_start of a local hart: an SBI error code. */
  hartStart(hart: number, addr: bigint, opaque: bigint): number {
    if (!this.local.has(hart)) return SBI_ERR_INVALID_PARAM;
    const prev = this.hsm.requestStart(hart, addr, opaque);
    if (prev === HSM_STOPPED) return SBI_SUCCESS;
    // started: already available; mid-transition (start pending, suspended): invalid, as OpenSBI
    return prev === HSM_STARTED ? SBI_ERR_ALREADY_AVAILABLE : SBI_ERR_INVALID_PARAM;
  }

  /** HSM hart_get_status of a local hart. */
  hartStatus(hart: number): number {
    return this.local.has(hart) ? this.hsm.state(hart) : SBI_ERR_INVALID_PARAM;
  }
}
