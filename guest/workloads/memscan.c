/* memscan: the memory-cliff workload. A working set of size= bytes (uint64
 * words) is scanned sequentially (read-modify-write: a[i] += 1) and then in a
 * pseudo-random order (reads), iters= times, split over threads= in
 * page-aligned partitions (thread t initialises its own, so first-touch
 * placement puts it on t's NUMA node). scope=global: each thread's random
 * reads range over the whole array; scope=local: over its own partition only
 * (a NUMA-aware program). Both read every word once per pass, so the sums,
 * and the checksum, are the same for any scope and thread count.
 * Check: per iteration t the sequential sum is H + t*n and the random sum is
 * H + (t+1)*n, where H = sum of the initial words, recomputed without memory. */
#include "common.h"

typedef struct { uint64_t *a, n, stride, iter; bool local; } job_t;
enum { SEQ, RND, WEIGHTED };
enum { PAGE_WORDS = SDK_PAGE / 8 };

/* Thread tid's words [lo, hi): whole pages, so no page is shared by two threads. */
static void split_pages(uint64_t n, unsigned tid, unsigned nt, uint64_t *lo, uint64_t *hi) {
  par_split((n + PAGE_WORDS - 1) / PAGE_WORDS, tid, nt, lo, hi);
  *lo = *lo * PAGE_WORDS < n ? *lo * PAGE_WORDS : n;
  *hi = *hi * PAGE_WORDS < n ? *hi * PAGE_WORDS : n;
}

static void init(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  split_pages(j->n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) j->a[i] = mix64(i);
}

static void seq_pass(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, s = 0;
  split_pages(j->n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) { s += j->a[i]; j->a[i] += 1; }
  partials[tid].v[SEQ] += s;
  partials[tid].v[WEIGHTED] += s * (2 * j->iter + 1);
}

static void rnd_pass(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, s = 0;
  split_pages(j->n, tid, nt, &lo, &hi);
  if (j->local) { /* a permutation of my own partition */
    uint64_t len = hi - lo, stride = coprime_stride(len), idx = 0;
    for (uint64_t k = 0; k < len; k++) {
      s += j->a[lo + idx];
      idx += stride;
      if (idx >= len) idx -= len;
    }
  } else { /* my share of a permutation of the whole array */
    uint64_t idx = mulmod(lo, j->stride, j->n);
    for (uint64_t i = lo; i < hi; i++) {
      s += j->a[idx];
      idx += j->stride;
      if (idx >= j->n) idx -= j->n;
    }
  }
  partials[tid].v[RND] += s;
  partials[tid].v[WEIGHTED] += s * (2 * j->iter + 2);
}

int main(void) {
  uint64_t size = arg_u64("size", 64ULL << 20);
  uint64_t iters = arg_u64("iters", 3);
  const char *scope = arg_str("scope", "global");
  unsigned threads = arg_threads();
  args_done();
  bool local = strcmp(scope, "local") == 0;
  if (!local && strcmp(scope, "global") != 0) fail(EXIT_BADARG, "argument scope=%s: expected global or local", scope);
  if (size < 64) fail(EXIT_BADARG, "argument size=%lu: must be at least 64", (unsigned long)size);
  job_t j = {.n = size / 8, .local = local};
  j.a = sdk_alloc(j.n * 8, SDK_PAGE);
  j.stride = coprime_stride(j.n);
  partials_clear();
  par_run(threads, init, &j);

  span_t all = {0}, seq = {0}, rnd = {0};
  for (j.iter = 0; j.iter < iters; j.iter++) {
    span_begin(&all);
    span_begin(&seq); par_run(threads, seq_pass, &j); span_end(&seq);
    span_begin(&rnd); par_run(threads, rnd_pass, &j); span_end(&rnd);
    span_end(&all);
  }

  uint64_t h = 0, want_seq = 0, want_rnd = 0, want_w = 0;
  for (uint64_t i = 0; i < j.n; i++) h += mix64(i);
  for (uint64_t t = 0; t < iters; t++) {
    want_seq += h + t * j.n;
    want_rnd += h + (t + 1) * j.n;
    want_w += (h + t * j.n) * (2 * t + 1) + (h + (t + 1) * j.n) * (2 * t + 2);
  }
  uint64_t got_seq = partials_sum(SEQ), got_rnd = partials_sum(RND), got_w = partials_sum(WEIGHTED);
  bool ok = got_seq == want_seq && got_rnd == want_rnd && got_w == want_w;
  if (!ok) printf("memscan: mismatch seq %lx/%lx rnd %lx/%lx\n", (unsigned long)got_seq,
                  (unsigned long)want_seq, (unsigned long)got_rnd, (unsigned long)want_rnd);
  result_line("memscan", ok, "harts=%u size=%lu iters=%lu scope=%s checksum=0x%016lx ticks=%lu instret=%lu seq_ticks=%lu rnd_ticks=%lu",
              threads, (unsigned long)size, (unsigned long)iters, scope, (unsigned long)mix64(got_w ^ mix64(got_seq ^ got_rnd)),
              (unsigned long)all.ticks, (unsigned long)all.instret, (unsigned long)seq.ticks, (unsigned long)rnd.ticks);
  return ok ? EXIT_OK : EXIT_WRONG;
}
