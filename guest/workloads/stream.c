/* stream: McCalpin's STREAM kernels (copy, scale, add, triad) over three
 * arrays of doubles; size= is the total of the three arrays in bytes, each
 * kernel split over threads, iters= passes. Reports ticks and MB/s per kernel.
 * Check: every element equals the value the same scalar recurrence gives. */
#include "common.h"

#define SCALAR 3.0
typedef struct { double *a, *b, *c; uint64_t n; unsigned kernel; } job_t;
enum { COPY, SCALE, ADD, TRIAD, NKERNELS };
enum { BAD, HASH };
static const char *const names[NKERNELS] = {"copy", "scale", "add", "triad"};
static const uint64_t arrays_moved[NKERNELS] = {2, 2, 3, 3};

static void init(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) { j->a[i] = 2.0; j->b[i] = 2.0; j->c[i] = 0.0; }
}

static void kernel(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->n, tid, nt, &lo, &hi);
  double *a = j->a, *b = j->b, *c = j->c;
  switch (j->kernel) {
  case COPY: for (uint64_t i = lo; i < hi; i++) c[i] = a[i]; break;
  case SCALE: for (uint64_t i = lo; i < hi; i++) b[i] = SCALAR * c[i]; break;
  case ADD: for (uint64_t i = lo; i < hi; i++) c[i] = a[i] + b[i]; break;
  default: for (uint64_t i = lo; i < hi; i++) a[i] = b[i] + SCALAR * c[i]; break;
  }
}

typedef struct { job_t *j; double a, b, c; } check_t;
static void check(unsigned tid, unsigned nt, void *arg) {
  check_t *k = arg;
  uint64_t lo, hi, bad = 0, h = 0;
  par_split(k->j->n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) {
    double a = k->j->a[i], b = k->j->b[i], c = k->j->c[i];
    bad += dbits(a) != dbits(k->a) || dbits(b) != dbits(k->b) || dbits(c) != dbits(k->c);
    h += mix64(i ^ dbits(a)) + mix64(~i ^ dbits(b)) + mix64((i << 1) ^ dbits(c));
  }
  partials[tid].v[BAD] = bad;
  partials[tid].v[HASH] = h;
}

int main(void) {
  uint64_t size = arg_u64("size", 48ULL << 20);
  uint64_t iters = arg_u64("iters", 3);
  unsigned threads = arg_threads();
  args_done();
  job_t j = {.n = size / 24};
  if (j.n < 1) fail(EXIT_BADARG, "argument size=%lu: must be at least 24", (unsigned long)size);
  j.a = sdk_alloc(j.n * 8, SDK_PAGE);
  j.b = sdk_alloc(j.n * 8, SDK_PAGE);
  j.c = sdk_alloc(j.n * 8, SDK_PAGE);
  par_run(threads, init, &j);
  span_t all = {0}, per[NKERNELS] = {{0}};
  check_t k = {&j, 2.0, 2.0, 0.0};
  for (uint64_t it = 0; it < iters; it++) {
    for (j.kernel = 0; j.kernel < NKERNELS; j.kernel++) {
      span_begin(&all); span_begin(&per[j.kernel]);
      par_run(threads, kernel, &j);
      span_end(&per[j.kernel]); span_end(&all);
    }
    /* The same operations on one element give the expected value bit for bit. */
    k.c = k.a; k.b = SCALAR * k.c; k.c = k.a + k.b; k.a = k.b + SCALAR * k.c;
  }
  partials_clear();
  par_run(threads, check, &k);
  bool ok = partials_sum(BAD) == 0;
  if (!ok) printf("stream: %lu elements differ from the expected values\n", (unsigned long)partials_sum(BAD));
  char rates[160];
  size_t len = 0;
  for (unsigned q = 0; q < NKERNELS; q++) {
    uint64_t bytes = arrays_moved[q] * 8 * j.n * iters, t = per[q].ticks ? per[q].ticks : 1;
    uint64_t mbs = (uint64_t)((__uint128_t)bytes * timebase_hz() / t / 1000000);
    len += (size_t)snprintf(rates + len, sizeof rates - len, " %s_ticks=%lu %s_mbs=%lu", names[q],
                            (unsigned long)per[q].ticks, names[q], (unsigned long)mbs);
  }
  result_line("stream", ok, "harts=%u size=%lu iters=%lu checksum=0x%016lx ticks=%lu instret=%lu%s",
              threads, (unsigned long)size, (unsigned long)iters, (unsigned long)mix64(partials_sum(HASH)),
              (unsigned long)all.ticks, (unsigned long)all.instret, rates);
  return ok ? EXIT_OK : EXIT_WRONG;
}
