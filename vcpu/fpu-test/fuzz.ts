// Differential fuzzing inside wasm: the public functions (native fast paths)
// against the integer soft-float paths, which the golden vectors pin to
// QEMU. Millions of seeded cases per second, no JS call overhead.

import * as F from "../assembly/fpu/index";
import { fpFlags } from "../assembly/fpu/index";
import { addSoft, mulSoft } from "../assembly/fpu/arith";
import { divSoft, sqrtSoft } from "../assembly/fpu/divsqrt";
import { fmaSoft } from "../assembly/fpu/fma";
import { fromIntSoft, narrowSoft, toIntSoft } from "../assembly/fpu/convert";

let rng: u64 = 1;
function rnd(): u64 {
  rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
  return rng * 0x2545f4914f6cdd1d;
}

// Random operand biased toward hard cases (same shape as gen/fpgen.c).
function rfloat(d: bool): u64 {
  let fb = d ? 52 : 23, emax = d ? 0x7ff : 0xff, bias = d ? 1023 : 127;
  let r = rnd();
  let sign = r & 1;
  let pick = <i32>((r >> 1) % 20);
  let e: i32;
  if (pick == 0) e = 0;
  else if (pick == 1) e = emax;
  else if (pick < 4) e = 1 + <i32>((r >> 8) % 40);
  else if (pick < 6) e = emax - 1 - <i32>((r >> 8) % 40);
  else if (pick < 8) e = bias + 20 + <i32>((r >> 8) % 50);
  else e = bias - 30 + <i32>((r >> 8) % 60);
  let m = rnd() & ((<u64>1 << fb) - 1);
  let shape = (r >> 20) % 6;
  let k = <i32>((r >> 24) % <u64>fb);
  if (shape == 0) m &= ~((<u64>1 << k) - 1);
  else if (shape == 1) m |= (<u64>1 << k) - 1;
  else if (shape == 2) m = (r >> 30) % 4;
  return (sign << (d ? 63 : 31)) | (<u64>e << fb) | m;
}
function near(x: u64, d: bool): u64 {
  let y = (x + rnd() % 7 - 3) & (d ? u64.MAX_VALUE : 0xffffffff);
  return (rnd() & 1) != 0 ? y ^ (<u64>1 << (d ? 63 : 31)) : y;
}

export let failOp: i32 = -1;
export let failA: u64 = 0;
export let failB: u64 = 0;
export let failC: u64 = 0;
export let failRm: i32 = 0;

// One case; returns true when fast and soft agree on bits and flags.
function check(op: i32, a: u64, b: u64, c: u64, rm: i32): bool {
  let d = (op & 1) != 0;
  let fast: u64, soft: u64;
  fpFlags = 0;
  let k = op >> 1;
  if (k == 0) fast = d ? F.add_d(a, b, 0) : <u64>F.add_s(<u32>a, <u32>b, 0);
  else if (k == 1) fast = d ? F.mul_d(a, b, 0) : <u64>F.mul_s(<u32>a, <u32>b, 0);
  else if (k == 2) fast = d ? F.div_d(a, b, 0) : <u64>F.div_s(<u32>a, <u32>b, 0);
  else if (k == 3) fast = d ? F.sqrt_d(a, 0) : <u64>F.sqrt_s(<u32>a, 0);
  else if (k == 4) fast = d ? F.fma_d(a, b, c, 0, (rm & 1) != 0, (rm & 2) != 0)
    : <u64>F.fma_s(<u32>a, <u32>b, <u32>c, 0, (rm & 1) != 0, (rm & 2) != 0);
  else if (k == 5) fast = <u64>toIntPublic(a, rm, <i32>(c & 3), d);
  else if (k == 6) fast = fromIntPublic(<i64>b, rm, <i32>(c & 3), d);
  else fast = <u64>F.cvt_s_d(a, 0);
  let ff = fpFlags;
  fpFlags = 0;
  if (k == 0) soft = addSoft(a, b, 0, d);
  else if (k == 1) soft = mulSoft(a, b, 0, d);
  else if (k == 2) soft = divSoft(a, b, 0, d);
  else if (k == 3) soft = sqrtSoft(a, 0, d);
  else if (k == 4) soft = fmaSoft(a, b, c, 0, (rm & 1) != 0, (rm & 2) != 0, d);
  else if (k == 5) soft = <u64>toIntSoft(a, rm, <i32>(c & 3), d);
  else if (k == 6) soft = fromIntSoft(<i64>b, rm, <i32>(c & 3), d);
  else soft = narrowSoft(a, 0);
  return fast == soft && ff == fpFlags;
}

function toIntPublic(a: u64, rm: i32, kind: i32, d: bool): i64 {
  if (d) {
    if (kind == 0) return F.cvt_w_d(a, rm);
    if (kind == 1) return F.cvt_wu_d(a, rm);
    if (kind == 2) return F.cvt_l_d(a, rm);
    return F.cvt_lu_d(a, rm);
  }
  let s = <u32>a;
  if (kind == 0) return F.cvt_w_s(s, rm);
  if (kind == 1) return F.cvt_wu_s(s, rm);
  if (kind == 2) return F.cvt_l_s(s, rm);
  return F.cvt_lu_s(s, rm);
}

function fromIntPublic(x: i64, rm: i32, kind: i32, d: bool): u64 {
  if (d) {
    if (kind == 0) return F.cvt_d_w(x, rm);
    if (kind == 1) return F.cvt_d_wu(x, rm);
    if (kind == 2) return F.cvt_d_l(x, rm);
    return F.cvt_d_lu(x, rm);
  }
  if (kind == 0) return F.cvt_s_w(x, rm);
  if (kind == 1) return F.cvt_s_wu(x, rm);
  if (kind == 2) return F.cvt_s_l(x, rm);
  return F.cvt_s_lu(x, rm);
}

// Runs n seeded cases; returns the number of disagreements (first in fail*).
export function fuzz(seed: u64, n: i32): i32 {
  rng = seed | 1;
  let bad = 0;
  failOp = -1;
  for (let i = 0; i < n; i++) {
    let op = <i32>(rnd() % 16);
    if (op == 15) op = 14; // cvt_s_d is a double-input op only
    let d = (op & 1) != 0 || op == 14;
    let a = rfloat(d);
    let b = (rnd() % 3) != 0 ? rfloat(d) : near(a, d);
    if ((op >> 1) == 3) a &= ~(<u64>1 << (d ? 63 : 31)); // sqrt: mostly valid
    let c: u64;
    if ((op >> 1) == 4 && (rnd() & 1) != 0) {
      // addend close to -(a*b): deep cancellation
      c = near(d ? F.mul_d(a, b, 0) : <u64>F.mul_s(<u32>a, <u32>b, 0), d);
    } else {
      c = rfloat(d);
    }
    if ((op >> 1) == 6) { // random integer of random width
      let w = rnd() % 65;
      b = w == 64 ? rnd() : rnd() & ((<u64>1 << w) - 1);
      if ((rnd() & 1) != 0) b = -b;
    }
    if ((rnd() & 3) == 0) {
      // Operands whose result sits at the underflow/overflow threshold with
      // a random sub-ulp offset: the target is one ulp inside the edge (not
      // a power of two, so the quotients below are inexact).
      let top = (rnd() & 1) != 0;
      let fb: u64 = d ? 52 : 23, bias: u64 = d ? 1023 : 127;
      let edge: u64 = top ? (d ? 0x7fefffffffffffff : 0x7f7fffff) : <u64>1 << fb;
      let target = top ? edge - 1 : edge + 1;
      let ex = top ? bias + 2 + rnd() % 100 : bias - 1 - rnd() % 100;
      a = (ex << fb) | (rnd() & ((<u64>1 << fb) - 1));
      b = near(d ? F.div_d(target, a, 0) : <u64>F.div_s(<u32>target, <u32>a, 0), d);
      c = near(edge, d);
      if ((op >> 1) == 2) b = near(d ? F.div_d(a, target, 0) : <u64>F.div_s(<u32>a, <u32>target, 0), d);
      if ((op >> 1) == 0) a = near(edge, d);
    }
    let rm = <i32>(rnd() % 5);
    if (!check(op, a, b, c, rm)) {
      if (bad == 0) { failOp = op; failA = a; failB = b; failC = c; failRm = rm; }
      bad++;
    }
  }
  fpFlags = 0;
  return bad;
}
