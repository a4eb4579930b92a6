/* Golden-vector generator for unum's FPU: runs every F/D operation in every
 * rounding mode on tricky and seeded-random inputs on a real RISC-V FPU model
 * (qemu-system-riscv64 -M virt) and prints one line per case on the UART:
 *   <op> <rm> <a> <b> <c> <result> <fflags>      (hex, unused fields 0)
 * Single-precision operands and results are 32-bit patterns. */
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;

static volatile unsigned char *const uart = (unsigned char *)0x10000000;
/* Output goes through the 16-byte transmit FIFO, refilled only when it is
 * empty (LSR.THRE): QEMU drops characters written while its host pipe is
 * full, so never write without checking. */
static unsigned fifo_room;
static void putc_(char c) {
  if (fifo_room == 0) {
    while (!(uart[5] & 0x20)) {}
    fifo_room = 16;
  }
  uart[0] = (unsigned char)c;
  fifo_room--;
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void hex(u64 v) {
  char buf[17];
  int n = 0;
  do { buf[n++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
  while (n) putc_(buf[--n]);
}
static void emit(const char *op, unsigned rm, u64 a, u64 b, u64 c, u64 r, u64 fl) {
  puts_(op); putc_(' '); hex(rm); putc_(' '); hex(a); putc_(' '); hex(b);
  putc_(' '); hex(c); putc_(' '); hex(r); putc_(' '); hex(fl); putc_('\n');
}

/* --- instruction wrappers: set frm, clear fflags, run, read fflags --- */
#define PRE "fsrm %[rm]\n csrw fflags, zero\n"
#define POST "frflags %[fl]\n"
#define OUTS [r] "=&r"(r), [fl] "=&r"(fl)
#define CLOB "ft0", "ft1", "ft2", "ft3"

#define F3(name, insn, mv, mvx, mask)                                           \
  static u64 name(u64 a, u64 b, u64 c, unsigned rm, u64 *flp) {                  \
    u64 r, fl;                                                                    \
    asm volatile(PRE mv " ft0, %[a]\n" mv " ft1, %[b]\n" mv " ft2, %[c]\n" insn  \
                 " ft3, ft0, ft1, ft2\n" mvx " %[r], ft3\n" POST                  \
                 : OUTS : [a] "r"(a), [b] "r"(b), [c] "r"(c), [rm] "r"(rm) : CLOB);\
    *flp = fl; return r & mask;                                                   \
  }
#define F2(name, insn, mv, mvx, mask)                                           \
  static u64 name(u64 a, u64 b, u64 c, unsigned rm, u64 *flp) {                  \
    u64 r, fl; (void)c;                                                           \
    asm volatile(PRE mv " ft0, %[a]\n" mv " ft1, %[b]\n" insn                     \
                 " ft3, ft0, ft1\n" mvx " %[r], ft3\n" POST                       \
                 : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"(rm) : CLOB);           \
    *flp = fl; return r & mask;                                                   \
  }
#define F1(name, insn, mv, mvx, mask)                                           \
  static u64 name(u64 a, u64 b, u64 c, unsigned rm, u64 *flp) {                  \
    u64 r, fl; (void)b; (void)c;                                                  \
    asm volatile(PRE mv " ft0, %[a]\n" insn " ft3, ft0\n" mvx " %[r], ft3\n" POST \
                 : OUTS : [a] "r"(a), [rm] "r"(rm) : CLOB);                       \
    *flp = fl; return r & mask;                                                   \
  }
/* float operands -> integer register result */
#define I2(name, insn, mv)                                                      \
  static u64 name(u64 a, u64 b, u64 c, unsigned rm, u64 *flp) {                  \
    u64 r, fl; (void)c;                                                           \
    asm volatile(PRE mv " ft0, %[a]\n" mv " ft1, %[b]\n" insn                     \
                 " %[r], ft0, ft1\n" POST                                         \
                 : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"(rm) : CLOB);           \
    *flp = fl; return r;                                                          \
  }
#define I1(name, insn, mv)                                                      \
  static u64 name(u64 a, u64 b, u64 c, unsigned rm, u64 *flp) {                  \
    u64 r, fl; (void)b; (void)c;                                                  \
    asm volatile(PRE mv " ft0, %[a]\n" insn " %[r], ft0\n" POST                  \
                 : OUTS : [a] "r"(a), [rm] "r"(rm) : CLOB);                       \
    *flp = fl; return r;                                                          \
  }
/* integer register operand -> float result */
#define X1(name, insn, mvx, mask)                                               \
  static u64 name(u64 a, u64 b, u64 c, unsigned rm, u64 *flp) {                  \
    u64 r, fl; (void)b; (void)c;                                                  \
    asm volatile(PRE insn " ft3, %[a]\n" mvx " %[r], ft3\n" POST                 \
                 : OUTS : [a] "r"(a), [rm] "r"(rm) : CLOB);                       \
    *flp = fl; return r & mask;                                                   \
  }

#define MS 0xffffffffull
#define MD 0xffffffffffffffffull
#define APPLY(m, args) m args
#define S(name, insn) (name, insn, "fmv.w.x", "fmv.x.w", MS)
#define D(name, insn) (name, insn, "fmv.d.x", "fmv.x.d", MD)

APPLY(F2, S(add_s, "fadd.s")) APPLY(F2, S(sub_s, "fsub.s")) APPLY(F2, S(mul_s, "fmul.s")) APPLY(F2, S(div_s, "fdiv.s"))
APPLY(F1, S(sqrt_s, "fsqrt.s")) APPLY(F2, S(min_s, "fmin.s")) APPLY(F2, S(max_s, "fmax.s"))
APPLY(F3, S(fmadd_s, "fmadd.s")) APPLY(F3, S(fmsub_s, "fmsub.s")) APPLY(F3, S(fnmsub_s, "fnmsub.s")) APPLY(F3, S(fnmadd_s, "fnmadd.s"))
APPLY(F2, D(add_d, "fadd.d")) APPLY(F2, D(sub_d, "fsub.d")) APPLY(F2, D(mul_d, "fmul.d")) APPLY(F2, D(div_d, "fdiv.d"))
APPLY(F1, D(sqrt_d, "fsqrt.d")) APPLY(F2, D(min_d, "fmin.d")) APPLY(F2, D(max_d, "fmax.d"))
APPLY(F3, D(fmadd_d, "fmadd.d")) APPLY(F3, D(fmsub_d, "fmsub.d")) APPLY(F3, D(fnmsub_d, "fnmsub.d")) APPLY(F3, D(fnmadd_d, "fnmadd.d"))
I2(eq_s, "feq.s", "fmv.w.x") I2(lt_s, "flt.s", "fmv.w.x") I2(le_s, "fle.s", "fmv.w.x")
I2(eq_d, "feq.d", "fmv.d.x") I2(lt_d, "flt.d", "fmv.d.x") I2(le_d, "fle.d", "fmv.d.x")
I1(class_s, "fclass.s", "fmv.w.x") I1(class_d, "fclass.d", "fmv.d.x")
I1(cvt_w_s, "fcvt.w.s", "fmv.w.x") I1(cvt_wu_s, "fcvt.wu.s", "fmv.w.x")
I1(cvt_l_s, "fcvt.l.s", "fmv.w.x") I1(cvt_lu_s, "fcvt.lu.s", "fmv.w.x")
I1(cvt_w_d, "fcvt.w.d", "fmv.d.x") I1(cvt_wu_d, "fcvt.wu.d", "fmv.d.x")
I1(cvt_l_d, "fcvt.l.d", "fmv.d.x") I1(cvt_lu_d, "fcvt.lu.d", "fmv.d.x")
X1(cvt_s_w, "fcvt.s.w", "fmv.x.w", MS) X1(cvt_s_wu, "fcvt.s.wu", "fmv.x.w", MS)
X1(cvt_s_l, "fcvt.s.l", "fmv.x.w", MS) X1(cvt_s_lu, "fcvt.s.lu", "fmv.x.w", MS)
X1(cvt_d_w, "fcvt.d.w", "fmv.x.d", MD) X1(cvt_d_wu, "fcvt.d.wu", "fmv.x.d", MD)
X1(cvt_d_l, "fcvt.d.l", "fmv.x.d", MD) X1(cvt_d_lu, "fcvt.d.lu", "fmv.x.d", MD)
F1(cvt_s_d, "fcvt.s.d", "fmv.d.x", "fmv.x.w", MS)
F1(cvt_d_s, "fcvt.d.s", "fmv.w.x", "fmv.x.d", MD)

typedef u64 (*OpFn)(u64, u64, u64, unsigned, u64 *);
static void run(const char *op, OpFn fn, unsigned rm, u64 a, u64 b, u64 c) {
  u64 fl;
  u64 r = fn(a, b, c, rm, &fl);
  emit(op, rm, a, b, c, r, fl);
}
#define RUN(fn, rm, a, b, c) run(#fn, fn, rm, a, b, c)

/* --- inputs --- */
static const u64 special_s[] = {
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000,
  0x80800000, 0x00c00000, 0x3f800000, 0xbf800000, 0x3f800001, 0x3fffffff,
  0x40400000, 0x3fc00000, 0xc0200000, 0x33800000, 0x33c00000, 0x4b000001,
  0x4effffff, 0x4f000000, 0x4f800000, 0xcf000000, 0x5f000000, 0x5f800000,
  0x7f000000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000,
  0x7f800001, 0xffc12345, 0x3dcccccd, 0x3eaaaaab, 0x00400000, 0x0d800000,
};
static const u64 special_d[] = {
  0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull,
  0x8000000000000001ull, 0x000fffffffffffffull, 0x0010000000000000ull,
  0x8010000000000000ull, 0x0018000000000000ull, 0x3ff0000000000000ull,
  0xbff0000000000000ull, 0x3ff0000000000001ull, 0x3fffffffffffffffull,
  0x4008000000000000ull, 0x3ff8000000000000ull, 0xc004000000000000ull,
  0x3ca0000000000000ull, 0x3ca8000000000000ull, 0x4330000000000001ull,
  0x41dfffffffffffffull, 0x41e0000000000000ull, 0x41f0000000000000ull,
  0xc1e0000000000000ull, 0x43e0000000000000ull, 0x43f0000000000000ull,
  0x7fe0000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
  0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
  0x7ff0000000000001ull, 0xfff8123456789abcull, 0x3fb999999999999aull,
  0x3fd5555555555555ull, 0x0008000000000000ull, 0x2000000000000000ull,
  0x41dfffffffc00000ull, 0x41efffffffe00000ull, 0xc1e0000000100000ull,
  0x41e0000000100000ull, 0x43efffffffffffffull, 0xc3e0000000000001ull,
};
#define NS (sizeof special_s / sizeof special_s[0])
#define ND (sizeof special_d / sizeof special_d[0])

#ifndef SEED
#define SEED 0x9e3779b97f4a7c15ull /* fixed: the golden file is stable */
#endif
#ifndef RANDOM_CASES
#define RANDOM_CASES 3000
#endif
static u64 rng = SEED;
static u64 rnd(void) {
  rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
  return rng * 0x2545f4914f6cdd1dull;
}

/* Random float biased toward hard cases: extreme exponents, subnormals,
 * specials, and significands with long runs of zeros or ones. */
static u64 rfloat(int d) {
  int fb = d ? 52 : 23, emax = d ? 0x7ff : 0xff, bias = d ? 1023 : 127;
  u64 r = rnd(), sign = r & 1, e;
  unsigned pick = (r >> 1) % 20;
  if (pick == 0) e = 0;
  else if (pick == 1) e = emax;
  else if (pick < 4) e = 1 + (r >> 8) % 40;
  else if (pick < 6) e = emax - 1 - (r >> 8) % 40;
  else if (pick < 8) e = bias + 20 + (r >> 8) % 50;   /* near integer limits */
  else e = bias - 30 + (r >> 8) % 60;
  u64 m = rnd() & ((1ull << fb) - 1);
  unsigned shape = (r >> 20) % 6;
  int k = (int)((r >> 24) % fb);
  if (shape == 0) m &= ~((1ull << k) - 1);           /* trailing zeros */
  else if (shape == 1) m |= (1ull << k) - 1;         /* trailing ones */
  else if (shape == 2) m = (r >> 30) % 4;            /* almost a power of 2 */
  return (sign << (d ? 63 : 31)) | (e << fb) | m;
}
static u64 nearby(u64 x, int d) { /* same magnitude, a few ulps away, random sign */
  u64 y = (x + (rnd() % 7) - 3) & (d ? ~0ull : 0xffffffffull);
  return (rnd() & 1) ? y ^ (1ull << (d ? 63 : 31)) : y;
}
static u64 rint_(void) { /* random integer of random width and sign */
  u64 r = rnd(), w = rnd() % 65;
  u64 v = w == 64 ? r : r & ((1ull << w) - 1);
  return (rnd() & 1) ? v : -v;
}

static const char *const name2[2][4] = {{"add_s", "sub_s", "mul_s", "div_s"},
                                        {"add_d", "sub_d", "mul_d", "div_d"}};
static const OpFn fn2[2][4] = {{add_s, sub_s, mul_s, div_s}, {add_d, sub_d, mul_d, div_d}};
static const char *const name3[2][4] = {{"fmadd_s", "fmsub_s", "fnmsub_s", "fnmadd_s"},
                                        {"fmadd_d", "fmsub_d", "fnmsub_d", "fnmadd_d"}};
static const OpFn fn3[2][4] = {{fmadd_s, fmsub_s, fnmsub_s, fnmadd_s},
                               {fmadd_d, fmsub_d, fnmsub_d, fnmadd_d}};
static const char *const nameI[2][4] = {{"cvt_w_s", "cvt_wu_s", "cvt_l_s", "cvt_lu_s"},
                                        {"cvt_w_d", "cvt_wu_d", "cvt_l_d", "cvt_lu_d"}};
static const OpFn fnI[2][4] = {{cvt_w_s, cvt_wu_s, cvt_l_s, cvt_lu_s},
                               {cvt_w_d, cvt_wu_d, cvt_l_d, cvt_lu_d}};
static const char *const nameX[2][4] = {{"cvt_s_w", "cvt_s_wu", "cvt_s_l", "cvt_s_lu"},
                                        {"cvt_d_w", "cvt_d_wu", "cvt_d_l", "cvt_d_lu"}};
static const OpFn fnX[2][4] = {{cvt_s_w, cvt_s_wu, cvt_s_l, cvt_s_lu},
                               {cvt_d_w, cvt_d_wu, cvt_d_l, cvt_d_lu}};
static const char *const nameC[2][5] = {{"min_s", "max_s", "eq_s", "lt_s", "le_s"},
                                        {"min_d", "max_d", "eq_d", "lt_d", "le_d"}};
static const OpFn fnC[2][5] = {{min_s, max_s, eq_s, lt_s, le_s}, {min_d, max_d, eq_d, lt_d, le_d}};

__attribute__((unused)) static void format_suite(int d) {
  const u64 *sp = d ? special_d : special_s;
  unsigned n = d ? ND : NS;
  OpFn sqrt_ = d ? sqrt_d : sqrt_s, class_ = d ? class_d : class_s;
  const char *sqrtName = d ? "sqrt_d" : "sqrt_s", *className = d ? "class_d" : "class_s";
  /* specials: every pair, every rounding mode */
  for (unsigned i = 0; i < n; i++) {
    run(className, class_, 0, sp[i], 0, 0);
    for (unsigned rm = 0; rm < 5; rm++) {
      run(sqrtName, sqrt_, rm, sp[i], 0, 0);
      for (int k = 0; k < 4; k++) run(nameI[d][k], fnI[d][k], rm, sp[i], 0, 0);
      if (d) RUN(cvt_s_d, rm, sp[i], 0, 0);
    }
    if (!d) RUN(cvt_d_s, 0, sp[i], 0, 0);
    for (unsigned j = 0; j < n; j++) {
      for (int k = 0; k < 5; k++) run(nameC[d][k], fnC[d][k], 0, sp[i], sp[j], 0);
      for (unsigned rm = 0; rm < 5; rm++)
        for (int k = 0; k < 4; k++) run(name2[d][k], fn2[d][k], rm, sp[i], sp[j], 0);
    }
  }
  /* fma: triples from every 4th special, every variant and mode */
  for (unsigned i = 0; i < n; i += 4)
    for (unsigned j = 1; j < n; j += 4)
      for (unsigned l = 2; l < n; l += 4)
        for (unsigned rm = 0; rm < 5; rm++)
          for (int k = 0; k < 4; k++) run(name3[d][k], fn3[d][k], rm, sp[i], sp[j], sp[l]);
}

/* Seeded random cases (RANDOM_CASES per format; more in the soak build). */
static void random_suite(int d) {
  OpFn sqrt_ = d ? sqrt_d : sqrt_s;
  const char *sqrtName = d ? "sqrt_d" : "sqrt_s";
  for (int t = 0; t < RANDOM_CASES; t++) {
    unsigned rm = rnd() % 5;
    u64 a = rfloat(d), b = (rnd() % 3) ? rfloat(d) : nearby(a, d);
    int k = (int)(rnd() % 4);
    run(name2[d][k], fn2[d][k], rm, a, b, 0);
    run(sqrtName, sqrt_, rm, a & ~(1ull << (d ? 63 : 31)), 0, 0);
    run(nameI[d][k], fnI[d][k], rm, a, 0, 0);
    run(nameX[d][k], fnX[d][k], rm, rint_(), 0, 0);
    run(nameC[d][t % 5], fnC[d][t % 5], 0, a, (t & 1) ? b : a, 0);
    if (d) RUN(cvt_s_d, rm, a, 0, 0);
    /* fma: random, or an addend that nearly cancels the product */
    u64 fl, c = rfloat(d);
    if (rnd() & 1) {
      c = fn2[d][2](a, b, 0, rnd() % 5, &fl);
      c = nearby(c, d);
    }
    run(name3[d][k], fn3[d][k], rm, a, b, c);
  }
}

/* Results at the underflow and overflow thresholds, where tininess after
 * rounding and max-finite vs inf depend on the mode. */
static void boundary_suite(int d) {
  u64 fl, mask = d ? ~0ull : 0xffffffffull;
  u64 fb = d ? 52 : 23, bias = d ? 1023 : 127;
  for (int t = 0; t < 400; t++) {
    /* target one ulp inside the edge: not a power of two, so the quotients
     * below are inexact and a*b, a/q land at random sub-ulp offsets */
    int top = t & 1;
    u64 edge = top ? (d ? 0x7fefffffffffffffull : 0x7f7fffffull) : 1ull << fb;
    u64 target = top ? edge - 1 : edge + 1;
    u64 ex = top ? bias + 2 + rnd() % 100 : bias - 1 - rnd() % 100;
    u64 a = (ex << fb) | (rnd() & ((1ull << fb) - 1));
    if (t & 2) a |= 1ull << (d ? 63 : 31);
    u64 b = nearby(fn2[d][3](target, a, 0, 0, &fl), d) & mask; /* a*b ~ edge */
    u64 q = nearby(fn2[d][3](a, target, 0, 0, &fl), d) & mask; /* a/q ~ edge */
    u64 c = nearby(edge, d) & mask;
    for (unsigned rm = 0; rm < 5; rm++) {
      run(name2[d][2], fn2[d][2], rm, a, b, 0);
      run(name2[d][3], fn2[d][3], rm, a, q, 0);
      run(name3[d][t & 3], fn3[d][t & 3], rm, a, b, c);
      run(name2[d][0], fn2[d][0], rm, c, nearby(edge, d) & mask, 0);
      if (d) RUN(cvt_s_d, rm, nearby(top ? 0x47efffffe0000000ull : 0x3810000000000000ull, d), 0, 0);
    }
  }
}

int main(void) {
  uart[2] = 0x07; /* FCR: enable and reset the FIFOs */
  puts_("# unum fpu golden vectors v1\n");
#ifndef SOAK
  format_suite(0);
  random_suite(0);
  format_suite(1);
  random_suite(1);
  boundary_suite(0);
  boundary_suite(1);
#else
  for (int i = 0; i < 8; i++) { random_suite(0); random_suite(1); boundary_suite(i & 1); }
#endif
  puts_("# end\n");
  return 0;
}
