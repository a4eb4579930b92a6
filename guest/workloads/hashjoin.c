/* hashjoin: database-style memory-cliff workload. Build a hash table over
 * R (nr unique keys) and probe it with S (2*nr keys drawn from [0, 2*nr), so
 * about half match), both in parallel; size= is the approximate footprint
 * (R + S + table), iters= repeats build and probe.
 * Check: match count and payload sum recomputed from the key formulas alone. */
#include "common.h"

#define EMPTY UINT64_MAX
#define S_SALT 0x5bd1e995ULL
typedef struct { uint64_t key, val; } tuple_t;
typedef struct { tuple_t *r, *s, *table; uint64_t nr, ns, mask, stride; } job_t;
enum { MATCHES, SUM };

static uint64_t s_key(uint64_t j, uint64_t nr) { return mix64(j ^ S_SALT) % (2 * nr); }
static uint64_t r_payload(uint64_t key) { return mix64(key); }
static uint64_t contribution(uint64_t payload, uint64_t j) { return mix64(payload ^ j); }

static void generate(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->nr, tid, nt, &lo, &hi);
  uint64_t key = mulmod(lo, j->stride, j->nr);
  for (uint64_t i = lo; i < hi; i++) {
    j->r[i] = (tuple_t){key, r_payload(key)};
    key += j->stride;
    if (key >= j->nr) key -= j->nr;
  }
  par_split(j->ns, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) j->s[i] = (tuple_t){s_key(i, j->nr), i};
}

static void build(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->mask + 1, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) j->table[i].key = EMPTY;
  par_barrier();
  par_split(j->nr, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) {
    uint64_t h = mix64(j->r[i].key) & j->mask;
    for (;;) {
      uint64_t expect = EMPTY;
      if (__atomic_compare_exchange_n(&j->table[h].key, &expect, j->r[i].key, false,
                                      __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        j->table[h].val = j->r[i].val;
        break;
      }
      h = (h + 1) & j->mask;
    }
  }
}

static void probe(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi, matches = 0, sum = 0;
  par_split(j->ns, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) {
    uint64_t key = j->s[i].key, h = mix64(key) & j->mask;
    for (; j->table[h].key != EMPTY; h = (h + 1) & j->mask)
      if (j->table[h].key == key) { matches++; sum += contribution(j->table[h].val, j->s[i].val); break; }
  }
  partials[tid].v[MATCHES] += matches;
  partials[tid].v[SUM] += sum;
}

int main(void) {
  uint64_t size = arg_u64("size", 64ULL << 20);
  uint64_t iters = arg_u64("iters", 3);
  unsigned threads = arg_threads();
  args_done();
  job_t j = {.nr = size / 96};
  if (j.nr < 16) fail(EXIT_BADARG, "argument size=%lu: must be at least 1536", (unsigned long)size);
  j.ns = 2 * j.nr;
  uint64_t cap = 1;
  while (cap < 2 * j.nr) cap <<= 1;
  j.mask = cap - 1;
  j.stride = coprime_stride(j.nr);
  j.r = sdk_alloc(j.nr * sizeof(tuple_t), SDK_PAGE);
  j.s = sdk_alloc(j.ns * sizeof(tuple_t), SDK_PAGE);
  j.table = sdk_alloc(cap * sizeof(tuple_t), SDK_PAGE);
  par_run(threads, generate, &j);
  partials_clear();

  span_t all = {0}, b = {0}, p = {0};
  for (uint64_t it = 0; it < iters; it++) {
    span_begin(&all);
    span_begin(&b); par_run(threads, build, &j); span_end(&b);
    span_begin(&p); par_run(threads, probe, &j); span_end(&p);
    span_end(&all);
  }

  uint64_t want_m = 0, want_s = 0;
  for (uint64_t i = 0; i < j.ns; i++) {
    uint64_t key = s_key(i, j.nr);
    if (key < j.nr) { want_m++; want_s += contribution(r_payload(key), i); }
  }
  uint64_t got_m = partials_sum(MATCHES), got_s = partials_sum(SUM);
  bool ok = got_m == want_m * iters && got_s == want_s * iters;
  if (!ok) printf("hashjoin: matches %lu want %lu\n", (unsigned long)got_m, (unsigned long)(want_m * iters));
  result_line("hashjoin", ok, "harts=%u size=%lu iters=%lu rows_r=%lu rows_s=%lu matches=%lu checksum=0x%016lx ticks=%lu instret=%lu build_ticks=%lu probe_ticks=%lu",
              threads, (unsigned long)size, (unsigned long)iters, (unsigned long)j.nr, (unsigned long)j.ns,
              (unsigned long)(got_m / (iters ? iters : 1)), (unsigned long)mix64(got_m ^ mix64(got_s)),
              (unsigned long)all.ticks, (unsigned long)all.instret, (unsigned long)b.ticks, (unsigned long)p.ticks);
  return ok ? EXIT_OK : EXIT_WRONG;
}
