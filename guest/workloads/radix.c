/* radix: parallel LSD radix sort of 32-bit keys (SPLASH-2 style), 8-bit
 * digits, 4 passes. Each pass: per-thread histograms, global prefix sums, then
 * every thread scatters its keys into every other thread's output range (the
 * all-to-all exchange). size= is the key array in bytes, iters= sorts fresh keys.
 * Check: output is nondecreasing and is the same multiset as the input. */
#include "common.h"

#define RADIX 256
typedef struct { uint32_t *src, *dst; uint64_t n, seed; } job_t;
typedef struct { uint64_t count[RADIX]; } __attribute__((aligned(SDK_PAGE))) hist_t;
static hist_t hist[SDK_MAX_HARTS];
enum { HASH };

static uint32_t key_at(uint64_t i, uint64_t seed) { return (uint32_t)mix64(i + (seed << 40)); }

static void generate(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) j->src[i] = key_at(i, j->seed);
}

static void sort(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->n, tid, nt, &lo, &hi);
  uint32_t *src = j->src, *dst = j->dst;
  for (unsigned shift = 0; shift < 32; shift += 8) {
    uint64_t *mine = hist[tid].count;
    for (unsigned d = 0; d < RADIX; d++) mine[d] = 0;
    for (uint64_t i = lo; i < hi; i++) mine[(src[i] >> shift) & (RADIX - 1)]++;
    par_barrier();
    /* My offset for digit d: all keys with smaller digits, plus digit-d keys of lower threads. */
    uint64_t offset[RADIX], base = 0;
    for (unsigned d = 0; d < RADIX; d++) {
      uint64_t before = 0, total = 0;
      for (unsigned t = 0; t < nt; t++) {
        if (t < tid) before += hist[t].count[d];
        total += hist[t].count[d];
      }
      offset[d] = base + before;
      base += total;
    }
    for (uint64_t i = lo; i < hi; i++) dst[offset[(src[i] >> shift) & (RADIX - 1)]++] = src[i];
    par_barrier();   /* dst complete; histograms may be reused */
    uint32_t *t = src; src = dst; dst = t;
  }
}

static void hash(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, h = 0;
  par_split(j->n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) h += mix64(i ^ ((uint64_t)j->src[i] << 32));
  partials[tid].v[HASH] += h;
}

int main(void) {
  uint64_t size = arg_u64("size", 16ULL << 20);
  uint64_t iters = arg_u64("iters", 3);
  unsigned threads = arg_threads();
  args_done();
  job_t j = {.n = size / 4};
  if (j.n < 1) fail(EXIT_BADARG, "argument size=%lu: must be at least 4", (unsigned long)size);
  j.src = sdk_alloc(j.n * 4, SDK_PAGE);
  j.dst = sdk_alloc(j.n * 4, SDK_PAGE);
  partials_clear();
  span_t all = {0};
  bool ok = true;
  for (j.seed = 0; j.seed < iters && ok; j.seed++) {
    par_run(threads, generate, &j);
    span_begin(&all);
    par_run(threads, sort, &j);
    span_end(&all);
    par_run(threads, hash, &j);
    uint64_t got = 0, want = 0;
    for (uint64_t i = 0; i < j.n; i++) {
      if (i && j.src[i - 1] > j.src[i]) ok = false;
      got += mix64(j.src[i]);
      want += mix64(key_at(i, j.seed));
    }
    if (got != want) ok = false;
    if (!ok) printf("radix: iteration %lu: output not a sorted permutation of the input\n", (unsigned long)j.seed);
  }
  result_line("radix", ok, "harts=%u size=%lu iters=%lu keys=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              threads, (unsigned long)size, (unsigned long)iters, (unsigned long)j.n,
              (unsigned long)mix64(partials_sum(HASH)), (unsigned long)all.ticks, (unsigned long)all.instret);
  return ok ? EXIT_OK : EXIT_WRONG;
}
