/* matmul: C = A * B, dense n x n doubles; rows of C split over threads, A and
 * B read-shared by all. Each thread first touches its rows of A, B and C in
 * init, as NUMA codes do, so the timed multiply does not allocate pages.
 * Entries are small integers so every product is exact.
 * Check: u^T C v == (u^T A)(B v) in exact integers for two vector pairs. */
#include "common.h"

typedef struct { double *a, *b, *c; uint64_t n; } job_t;
enum { HASH };

static double a_at(uint64_t i, uint64_t k) { return (double)((i * 3 + k * 7) % 11) - 5.0; }
static double b_at(uint64_t k, uint64_t j) { return (double)((k * 5 + j * 2) % 13) - 6.0; }

static void init(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, n = j->n;
  par_split(n, tid, nt, &lo, &hi);
  for (uint64_t r = lo; r < hi; r++)
    for (uint64_t c = 0; c < n; c++) { j->a[r * n + c] = a_at(r, c); j->b[r * n + c] = b_at(r, c); j->c[r * n + c] = 0.0; }
}

static void multiply(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, n = j->n;
  par_split(n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) {
    double *crow = j->c + i * n;
    for (uint64_t c = 0; c < n; c++) crow[c] = 0.0;
    for (uint64_t k = 0; k < n; k++) {
      double aik = j->a[i * n + k];
      const double *brow = j->b + k * n;
      for (uint64_t c = 0; c < n; c++) crow[c] += aik * brow[c];
    }
  }
}

static void hash(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, n = j->n, h = 0;
  par_split(n * n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) h += mix64(i ^ ((uint64_t)(int64_t)j->c[i] << 20));
  partials[tid].v[HASH] = h;
}

/* u^T C v computed from C, and (u^T A)(B v) from the formulas; u, v weights. */
static bool freivalds(const job_t *j, uint64_t um, uint64_t vm) {
  uint64_t n = j->n;
  int64_t lhs = 0, rhs = 0;
  for (uint64_t i = 0; i < n; i++)
    for (uint64_t c = 0; c < n; c++) lhs += (int64_t)(i % um + 1) * (int64_t)j->c[i * n + c] * (int64_t)(c % vm + 1);
  for (uint64_t k = 0; k < n; k++) {
    int64_t ua = 0, bv = 0;
    for (uint64_t i = 0; i < n; i++) ua += (int64_t)(i % um + 1) * (int64_t)a_at(i, k);
    for (uint64_t c = 0; c < n; c++) bv += (int64_t)b_at(k, c) * (int64_t)(c % vm + 1);
    rhs += ua * bv;
  }
  return lhs == rhs;
}

int main(void) {
  uint64_t n = arg_u64("n", 256);
  uint64_t iters = arg_u64("iters", 3);
  unsigned threads = arg_threads();
  args_done();
  if (n < 1 || n > 8192) fail(EXIT_BADARG, "argument n=%lu: must be 1..8192", (unsigned long)n);
  job_t j = {.n = n};
  j.a = sdk_alloc(n * n * 8, SDK_PAGE);
  j.b = sdk_alloc(n * n * 8, SDK_PAGE);
  j.c = sdk_alloc(n * n * 8, SDK_PAGE);
  par_run(threads, init, &j);
  span_t all = {0};
  for (uint64_t it = 0; it < iters; it++) {
    span_begin(&all);
    par_run(threads, multiply, &j);
    span_end(&all);
  }
  partials_clear();
  par_run(threads, hash, &j);
  bool ok = iters > 0 && freivalds(&j, 1, 1) && freivalds(&j, 5, 7);
  result_line("matmul", ok, "harts=%u n=%lu iters=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              threads, (unsigned long)n, (unsigned long)iters, (unsigned long)mix64(partials_sum(HASH)),
              (unsigned long)all.ticks, (unsigned long)all.instret);
  return ok ? EXIT_OK : EXIT_WRONG;
}
