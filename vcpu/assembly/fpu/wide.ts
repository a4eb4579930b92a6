// 128-bit helpers for the soft-float paths. Values are (hi, lo) pairs; the
// functions return lo and leave hi in wideHi (no heap, no tuples).

export let wideHi: u64 = 0;

// Full 64x64 -> 128-bit unsigned product.
export function mul128(a: u64, b: u64): u64 {
  let a0 = a & 0xffffffff, a1 = a >> 32;
  let b0 = b & 0xffffffff, b1 = b >> 32;
  let p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  let mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  wideHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & 0xffffffff);
}

// Right shift by n with every lost bit ORed into bit 0.
export function shiftRightJam128(hi: u64, lo: u64, n: i32): u64 {
  if (n <= 0) { wideHi = hi; return lo; }
  if (n >= 128) { wideHi = 0; return (hi | lo) != 0 ? 1 : 0; }
  let sticky: u64;
  let rlo: u64;
  if (n >= 64) {
    let m = n - 64;
    sticky = lo | (m == 0 ? 0 : hi << (64 - m));
    rlo = m == 0 ? hi : hi >> m;
    wideHi = 0;
  } else {
    sticky = lo << (64 - n);
    rlo = (lo >> n) | (hi << (64 - n));
    wideHi = hi >> n;
  }
  return rlo | (sticky != 0 ? 1 : 0);
}

// Left shift by n (0 <= n < 128).
export function shiftLeft128(hi: u64, lo: u64, n: i32): u64 {
  if (n == 0) { wideHi = hi; return lo; }
  if (n >= 64) { wideHi = lo << (n - 64); return 0; }
  wideHi = (hi << n) | (lo >> (64 - n));
  return lo << n;
}

// Compare (ah, al) with (bh, bl): -1, 0, 1.
export function cmp128(ah: u64, al: u64, bh: u64, bl: u64): i32 {
  if (ah != bh) return ah < bh ? -1 : 1;
  if (al != bl) return al < bl ? -1 : 1;
  return 0;
}
