// Test entry: the public FPU interface, flag access for JS, and the integer
// soft-float paths on their own so the tests can check them in RNE too
// (the public functions take native fast paths in RNE).
export * from "../assembly/fpu/index";
import { fpFlags } from "../assembly/fpu/index";
import { addSoft, mulSoft } from "../assembly/fpu/arith";
import { divSoft, sqrtSoft } from "../assembly/fpu/divsqrt";
import { fmaSoft } from "../assembly/fpu/fma";
import { fromIntSoft, narrowSoft, toIntSoft } from "../assembly/fpu/convert";

export function takeFlags(): u32 {
  let f = fpFlags;
  fpFlags = 0;
  return f;
}

// op: 0 add, 1 sub, 2 mul, 3 div, 4 sqrt; d: double precision.
export function soft2(op: i32, a: u64, b: u64, rm: i32, d: bool): u64 {
  if (op == 0) return addSoft(a, b, rm, d);
  if (op == 1) return addSoft(a, b ^ (d ? <u64>1 << 63 : <u64>1 << 31), rm, d);
  if (op == 2) return mulSoft(a, b, rm, d);
  if (op == 3) return divSoft(a, b, rm, d);
  return sqrtSoft(a, rm, d);
}
export function softFma(
  a: u64, b: u64, c: u64, rm: i32, negProduct: bool, negAddend: bool, d: bool,
): u64 {
  return fmaSoft(a, b, c, rm, negProduct, negAddend, d);
}
export function softToInt(a: u64, rm: i32, kind: i32, d: bool): i64 {
  return toIntSoft(a, rm, kind, d);
}
export function softFromInt(x: i64, rm: i32, kind: i32, d: bool): u64 {
  return fromIntSoft(x, rm, kind, d);
}
export function softNarrow(a: u64, rm: i32): u64 {
  return narrowSoft(a, rm);
}

export { fuzz, failOp, failA, failB, failC, failRm } from "./fuzz";
