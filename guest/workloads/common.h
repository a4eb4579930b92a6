/* Small pieces every workload uses: timing spans and per-thread partial sums. */
#ifndef WORKLOADS_COMMON_H
#define WORKLOADS_COMMON_H
#include "unum.h"

/* Timed region on hart 0: ticks of mtime and instructions retired by hart 0. */
typedef struct { uint64_t ticks, instret, t0, i0; } span_t;
static inline void span_begin(span_t *s) { s->t0 = mtime(); s->i0 = rdinstret(); }
static inline void span_end(span_t *s) { s->ticks += mtime() - s->t0; s->instret += rdinstret() - s->i0; }

/* Per-thread accumulators, one 64-byte line each. Sums are added in thread
 * order after the region, so totals don't depend on the thread count. */
typedef struct { uint64_t v[8]; } __attribute__((aligned(64))) partial_t;
static partial_t partials[SDK_MAX_HARTS];

static inline void partials_clear(void) { memset(partials, 0, sizeof partials); }
static inline uint64_t partials_sum(unsigned slot) {
  uint64_t s = 0;
  for (unsigned t = 0; t < SDK_MAX_HARTS; t++) s += partials[t].v[slot];
  return s;
}

/* n*p mod n-th step permutation: p coprime to n visits every index once. */
static inline uint64_t gcd_u64(uint64_t a, uint64_t b) { while (b) { uint64_t t = a % b; a = b; b = t; } return a; }
static inline uint64_t coprime_stride(uint64_t n) {
  if (n < 3) return 1;
  uint64_t p = (n / 8 * 5) | 1;           /* ~0.62 n: consecutive visits land far apart */
  while (gcd_u64(p, n) != 1) p += 2;
  return p % n;
}
static inline uint64_t mulmod(uint64_t a, uint64_t b, uint64_t n) { return (uint64_t)((__uint128_t)a * b % n); }
static inline uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

#endif
