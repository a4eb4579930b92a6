// RISC-V F and D arithmetic on raw bit patterns (f32 as u32, f64 as u64).
// rm: 0 RNE, 1 RTZ, 2 RDN, 3 RUP, 4 RMM (already resolved by the caller).
// Exceptions accumulate in fpFlags (NV=16 DZ=8 OF=4 UF=2 NX=1); the caller
// reads and clears it. NaN results are always canonical. No heap use.
//
//   fpFlags = 0;
//   let r = add_d(x, y, RNE);   // r: u64 bits, fpFlags: accrued exceptions

export { fpFlags, NV, DZ, OF, UF, NX, RNE, RTZ, RDN, RUP, RMM } from "./flags";
export {
  add_s, sub_s, mul_s, div_s, sqrt_s, fma_s,
  min_s, max_s, eq_s, lt_s, le_s, class_s,
} from "./single";
export {
  add_d, sub_d, mul_d, div_d, sqrt_d, fma_d,
  min_d, max_d, eq_d, lt_d, le_d, class_d,
} from "./double";
export {
  cvt_w_s, cvt_wu_s, cvt_l_s, cvt_lu_s,
  cvt_w_d, cvt_wu_d, cvt_l_d, cvt_lu_d,
  cvt_s_w, cvt_s_wu, cvt_s_l, cvt_s_lu,
  cvt_d_w, cvt_d_wu, cvt_d_l, cvt_d_lu,
  cvt_s_d, cvt_d_s,
} from "./conversions";
