/**
 * SBI hart masks: `hart_mask` is a bit vector of hart ids counted from
 * `hart_mask_base`; a base of all ones means every hart (the mask is
 * ignored). A set bit naming a hart that does not exist makes the call
 * SBI_ERR_INVALID_PARAM (as OpenSBI does).
 */
import { MASK_BASE_ALL } from './sbi-abi.js';

/** Hart ids selected, or undefined when one of them is invalid. */
export function decodeHartMask(mask: bigint, base: bigint, hartCount: number): number[] | undefined {
  if (base === MASK_BASE_ALL) return Array.from({ length: hartCount }, (_, h) => h);
  const harts: number[] = [];
  for (let i = 0; mask !== 0n && i < 64; i++, mask >>= 1n) {
    if ((mask & 1n) === 0n) continue;
    const h = base + BigInt(i);
    if (h >= BigInt(hartCount)) return undefined;
    harts.push(Number(h));
  }
  return harts;
}

/** Harts as a 64-bit mask from base 0 (every VM has at most 64 harts). */
export function maskOf(harts: readonly number[]): bigint {
  let m = 0n;
  for (const h of harts) m |= 1n << BigInt(h);
  return m;
}

export function hartsOf(mask: bigint): number[] {
  const out: number[] = [];
  for (let h = 0; mask !== 0n; h++, mask >>= 1n) if (mask & 1n) out.push(h);
  return out;
}
