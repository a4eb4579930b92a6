/* alu: integer/ALU loop. Each step advances an LCG (mul, add), mixes it into
 * a hash with xorshift/rotate/shift-add and, every 8th step, a divide and a
 * remainder. Checked: the LCG state equals its closed-form jump-ahead; the
 * hash is the checksum that QEMU and unum must agree on. */
#include "common.h"

#define LCG_A 6364136223846793005ULL
#define LCG_C 1442695040888963407ULL

static inline uint64_t rotl(uint64_t x, unsigned k) { return (x << k) | (x >> (64 - k)); }

/* x after n steps of x = A*x + C, by repeated squaring of the affine map */
static uint64_t lcg_jump(uint64_t x, uint64_t n) {
  uint64_t a = LCG_A, c = LCG_C, acc_a = 1, acc_c = 0;
  for (; n; n >>= 1) {
    if (n & 1) { acc_a *= a; acc_c = acc_c * a + c; }
    c = c * (a + 1);
    a *= a;
  }
  return acc_a * x + acc_c;
}

static __attribute__((noinline)) uint64_t alu_loop(uint64_t iters, uint64_t *state) {
  uint64_t x = *state, h = 0x243f6a8885a308d3ULL;
  uint32_t w = 7;
  for (uint64_t i = 0; i < iters; i++) {
    x = x * LCG_A + LCG_C;
    h ^= x >> 17;
    h = rotl(h, 13) + (h << 3) + i;
    w = (w ^ (uint32_t)h) * 0x9e3779b1u + (w >> 5);
    if ((i & 7) == 0) h += (x | 1) / ((h >> 40) | 3) + (int64_t)h % 1000003;
    h ^= (uint64_t)w << 7;
  }
  *state = x;
  return h;
}

int main(void) {
  uint64_t iters = arg_u64("iters", 20000000);
  args_done();
  uint64_t seed = 0x853c49e6748fea9bULL, x = seed;
  span_t t = {0};
  span_begin(&t);
  uint64_t h = alu_loop(iters, &x);
  span_end(&t);
  bool ok = x == lcg_jump(seed, iters);
  result_line("alu", ok, "harts=1 iters=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              iters, mix64(h ^ x), t.ticks, t.instret);
  return ok ? 0 : 1;
}
