/* jacobi: 2D 5-point stencil (SPLASH Ocean style) on an n x n grid of doubles,
 * interior rows split over threads, so neighbours share the boundary rows;
 * one barrier per sweep. iters= is the number of sweeps.
 * Check: for sample rows (including likely thread boundaries) a sequential
 * recomputation of the rows' light cone must match bit for bit. */
#include "common.h"

typedef struct { double *u[2]; uint64_t n, sweeps; } job_t;
enum { HASH };

static double initial(uint64_t i, uint64_t c) { return (double)((i * 31 + c * 17) % 101) / 16.0; }
static inline double stencil(const double *up, const double *mid, const double *down, uint64_t c) {
  return 0.25 * (up[c] + down[c] + mid[c - 1] + mid[c + 1]);
}
static void sweep_row(double *out, const double *up, const double *mid, const double *down, uint64_t n) {
  out[0] = mid[0];
  for (uint64_t c = 1; c + 1 < n; c++) out[c] = stencil(up, mid, down, c);
  out[n - 1] = mid[n - 1];
}

static void init(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, n = j->n;
  par_split(n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++)
    for (uint64_t c = 0; c < n; c++) j->u[0][i * n + c] = j->u[1][i * n + c] = initial(i, c);
}

static void relax(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, n = j->n;
  par_split(n - 2, tid, nt, &lo, &hi);
  for (uint64_t s = 0; s < j->sweeps; s++) {
    const double *in = j->u[s & 1];
    double *out = j->u[(s & 1) ^ 1];
    for (uint64_t i = lo + 1; i < hi + 1; i++)
      sweep_row(out + i * n, in + (i - 1) * n, in + i * n, in + (i + 1) * n, n);
    par_barrier();
  }
}

static void hash(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, h = 0, n = j->n;
  const double *u = j->u[j->sweeps & 1];
  par_split(n * n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) h += mix64(i ^ dbits(u[i]));
  partials[tid].v[HASH] = h;
}

/* Recompute rows [r-T, r+T] from scratch for T sweeps; row r is exact because
 * stale values spread inward from the window edge by one row per sweep. */
static bool check_row(const job_t *j, uint64_t r, double *w0, double *w1) {
  uint64_t n = j->n, t = j->sweeps;
  uint64_t lo = r > t ? r - t : 0, hi = r + t < n - 1 ? r + t : n - 1, rows = hi - lo + 1;
  for (uint64_t i = 0; i < rows; i++)
    for (uint64_t c = 0; c < n; c++) w0[i * n + c] = w1[i * n + c] = initial(lo + i, c);
  for (uint64_t s = 0; s < t; s++) {
    for (uint64_t i = 1; i + 1 < rows; i++) {
      uint64_t g = lo + i;
      if (g == 0 || g == n - 1) continue;
      sweep_row(w1 + i * n, w0 + (i - 1) * n, w0 + i * n, w0 + (i + 1) * n, n);
    }
    double *tmp = w0; w0 = w1; w1 = tmp;
  }
  return memcmp(w0 + (r - lo) * n, j->u[t & 1] + r * n, n * 8) == 0;
}

int main(void) {
  uint64_t n = arg_u64("n", 1024);
  uint64_t sweeps = arg_u64("iters", 20);
  unsigned threads = arg_threads();
  args_done();
  if (n < 3 || n > 65536) fail(EXIT_BADARG, "argument n=%lu: must be 3..65536", (unsigned long)n);
  job_t j = {.n = n, .sweeps = sweeps};
  j.u[0] = sdk_alloc(n * n * 8, SDK_PAGE);
  j.u[1] = sdk_alloc(n * n * 8, SDK_PAGE);
  par_run(threads, init, &j);
  span_t all = {0};
  span_begin(&all);
  par_run(threads, relax, &j);
  span_end(&all);
  partials_clear();
  par_run(threads, hash, &j);

  uint64_t window = 2 * sweeps + 1 < n ? 2 * sweeps + 1 : n;
  double *w0 = sdk_alloc(window * n * 8, 64), *w1 = sdk_alloc(window * n * 8, 64);
  /* Rows 1, n-2 and every (n-2)/8 boundary: thread edges for 2, 4 and 8 threads. */
  bool ok = true;
  for (uint64_t k = 0; k <= 8 && ok; k++) {
    uint64_t r = 1 + (n - 3) * k / 8;
    ok = check_row(&j, r, w0, w1);
    if (!ok) printf("jacobi: row %lu differs from the sequential recomputation\n", (unsigned long)r);
  }
  result_line("jacobi", ok, "harts=%u n=%lu iters=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              threads, (unsigned long)n, (unsigned long)sweeps, (unsigned long)mix64(partials_sum(HASH)),
              (unsigned long)all.ticks, (unsigned long)all.instret);
  return ok ? EXIT_OK : EXIT_WRONG;
}
