/**
 * A hart's complete architectural state as it leaves one node and enters
 * another (vCPU migration): registers, pc, privilege, fcsr, every CSR
 * (satp, stimecmp, the counter deltas that make instret continue), the
 * pending-interrupt words and mtimecmp. Taken at an exit boundary, once
 * the hart's worker has ended. The LR/SC reservation is dropped (the spec
 * lets any trap or context switch break it); TLB and decode cache are
 * rebuilt on the new node, as after a reset.
 */
import type { HartImage } from '@unum/protos/cluster';
import { layout } from '@unum/vcpu';
import { HART_BASE, HART_STRIDE, H_HOST_IRQ, H_IN_GUEST, H_KICK, H_MTIMECMP, H_STOP } from './node-layout.js';

/** The wire's HartImage (cluster.proto) is the image itself: no second copy of its fields. */
export type { HartImage };

const base = (hart: number): number => HART_BASE + hart * HART_STRIDE;

/** Read hart `hart`'s state from node memory (its worker has ended). */
export function captureHart(buffer: SharedArrayBuffer, hart: number, hsm: number): HartImage {
  const b = base(hart);
  const i32 = new Int32Array(buffer);
  const dv = new DataView(buffer);
  return {
    hart,
    arch: new Uint8Array(buffer, b, H_IN_GUEST).slice(),
    hostIrq: Atomics.load(i32, (b + H_HOST_IRQ) >> 2),
    mtimecmp: dv.getBigUint64(b + H_MTIMECMP, true),
    stimerDeadline: dv.getBigUint64(b + layout.H_STIMER_DEADLINE, true),
    hsm,
  };
}

/** Main thread, before the hart's worker starts: the host words (reset leaves them alone). */
export function restoreHostWords(buffer: SharedArrayBuffer, image: HartImage): void {
  const b = base(image.hart);
  const i32 = new Int32Array(buffer);
  new DataView(buffer).setBigUint64(b + H_MTIMECMP, image.mtimecmp, true);
  Atomics.store(i32, (b + H_STOP) >> 2, 0); // left set if the hart ran here before and moved away
  Atomics.store(i32, (b + H_KICK) >> 2, 0);
  Atomics.store(i32, (b + H_HOST_IRQ) >> 2, image.hostIrq);
}

/** Worker, after the engine's reset: the architectural state (reset cleared the reservation, TLB and decode cache). */
export function restoreArch(buffer: SharedArrayBuffer, image: HartImage): void {
  const b = base(image.hart);
  if (image.arch.length !== H_IN_GUEST) throw new RangeError(`hart image of ${image.arch.length} bytes, expected ${H_IN_GUEST}`);
  new Uint8Array(buffer, b, H_IN_GUEST).set(image.arch);
  new DataView(buffer).setBigUint64(b + layout.H_STIMER_DEADLINE, image.stimerDeadline, true);
}
