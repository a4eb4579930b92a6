/* fpmix: double-precision loop mixing add, mul, div, sqrt, fused
 * multiply-add and int→double conversion. Per step k = 1..n:
 *   s1 += 1/(k·k)            → π²/6 − 1/n (error < 1/n²)
 *   s2  = fma(s2, r, 1)      → (1 − rⁿ)/(1 − r)
 *   s3 += 1/√k               → 2√n + ζ(1/2) + 1/(2√n) + O(n^-1.5)
 * Checked against those closed forms; the checksum is the exact bits. */
#include "common.h"

static double dsqrt(double x) { double r; __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x)); return r; }
static double dabs(double x) { return x < 0 ? -x : x; }
static double powi(double b, uint64_t e) { double r = 1; for (; e; e >>= 1, b *= b) if (e & 1) r *= b; return r; }

static __attribute__((noinline)) void fp_loop(uint64_t n, double r, double out[3]) {
  double s1 = 0, s2 = 0, s3 = 0;
  for (uint64_t k = 1; k <= n; k++) {
    double d = (double)k;
    s1 += 1.0 / (d * d);
    s2 = __builtin_fma(s2, r, 1.0);
    s3 += 1.0 / dsqrt(d);
  }
  out[0] = s1; out[1] = s2; out[2] = s3;
}

int main(void) {
  uint64_t n = arg_u64("n", 4000000);
  args_done();
  const double r = 0.9999995, pi = 3.14159265358979323846, zeta_half = -1.4603545088095868;
  double s[3];
  span_t t = {0};
  span_begin(&t);
  fp_loop(n, r, s);
  span_end(&t);
  double dn = (double)n, rt = dsqrt(dn);
  bool ok = dabs(s[0] - (pi * pi / 6 - 1 / dn)) < 2 / (dn * dn) + 1e-12 &&
            dabs(s[1] - (1 - powi(r, n)) / (1 - r)) < 1e-6 * s[1] &&
            dabs(s[2] - (2 * rt + zeta_half + 1 / (2 * rt))) < 1e-6;
  result_line("fpmix", ok, "harts=1 n=%lu checksum=0x%016lx ticks=%lu instret=%lu", n,
              mix64(dbits(s[0]) ^ mix64(dbits(s[1]) ^ mix64(dbits(s[2])))), t.ticks, t.instret);
  return ok ? 0 : 1;
}
