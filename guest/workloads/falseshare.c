/* falseshare: every thread increments its own counter; in the "shared" phase
 * the counters sit next to each other on one page, in the "padded" phase each
 * has a page of its own. count= increments per phase and iteration, split
 * over threads; mode=shared|padded|both.
 * Check: each phase's counters add up to iters*count. */
#include "common.h"

typedef struct { volatile uint64_t *base; uint64_t stride, count; } job_t;

static void bump(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->count, tid, nt, &lo, &hi);
  volatile uint64_t *c = j->base + tid * j->stride;
  for (uint64_t k = lo; k < hi; k++) *c = *c + 1;
}

/* Runs one layout; returns the total of all counters. */
static uint64_t phase(volatile uint64_t *base, uint64_t stride, uint64_t count, uint64_t iters,
                      unsigned threads, span_t *s, span_t *all) {
  job_t j = {base, stride, count};
  for (unsigned t = 0; t < threads; t++) base[t * stride] = 0;
  for (uint64_t it = 0; it < iters; it++) {
    span_begin(s); span_begin(all);
    par_run(threads, bump, &j);
    span_end(s); span_end(all);
  }
  uint64_t total = 0;
  for (unsigned t = 0; t < threads; t++) total += base[t * stride];
  return total;
}

int main(void) {
  uint64_t count = arg_u64("count", 1000000);
  uint64_t iters = arg_u64("iters", 3);
  const char *mode = arg_str("mode", "both");
  unsigned threads = arg_threads();
  args_done();
  bool do_shared = strcmp(mode, "both") == 0 || strcmp(mode, "shared") == 0;
  bool do_padded = strcmp(mode, "both") == 0 || strcmp(mode, "padded") == 0;
  if (!do_shared && !do_padded) fail(EXIT_BADARG, "argument mode=%s: expected shared, padded or both", mode);
  const uint64_t page_words = SDK_PAGE / 8;
  volatile uint64_t *shared = sdk_alloc(SDK_PAGE, SDK_PAGE);
  volatile uint64_t *padded = sdk_alloc(SDK_MAX_HARTS * SDK_PAGE, SDK_PAGE);
  span_t all = {0}, sh = {0}, pd = {0};
  uint64_t want = count * iters, got_sh = want, got_pd = want;
  if (do_shared) got_sh = phase(shared, 1, count, iters, threads, &sh, &all);
  if (do_padded) got_pd = phase(padded, page_words, count, iters, threads, &pd, &all);
  bool ok = got_sh == want && got_pd == want;
  if (!ok) printf("falseshare: totals shared=%lu padded=%lu, want %lu\n", (unsigned long)got_sh, (unsigned long)got_pd, (unsigned long)want);
  result_line("falseshare", ok, "harts=%u mode=%s count=%lu iters=%lu checksum=0x%016lx ticks=%lu instret=%lu shared_ticks=%lu padded_ticks=%lu",
              threads, mode, (unsigned long)count, (unsigned long)iters,
              (unsigned long)mix64(mix64(got_sh) ^ got_pd ^ (do_shared ? 1 : 0) ^ (do_padded ? 2 : 0)),
              (unsigned long)all.ticks, (unsigned long)all.instret, (unsigned long)sh.ticks, (unsigned long)pd.ticks);
  return ok ? EXIT_OK : EXIT_WRONG;
}
