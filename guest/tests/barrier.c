/* t-barrier: (1) the SDK's sense-reversing barrier over rounds= rounds: before
 * each barrier every thread publishes the round it reached and bumps a shared
 * AMO counter; after it, every thread checks that all others reached this
 * round (and none is more than one ahead) and that the counter is in range.
 * (2) a single-producer single-consumer ring (thread 0 → last thread): items=
 * values in order, exact sum. (3) a ticket-lock-protected multi-producer
 * multi-consumer ring: the first half of the threads produce items= values in
 * total, the rest consume; exact count and sum, and each consumer must see
 * every producer's values in increasing order. Needs 2+ threads.
 * Shared words each live on their own page. */
#include "tcommon.h"

#define MAX_RING 4096
static barrier_t bar __attribute__((aligned(SDK_PAGE)));
static page_u64 reached[SDK_MAX_HARTS], arrivals;
static page_u64 bad_round;                 /* first round a check failed (0 = none) */

static page_u64 spsc_head, spsc_tail;      /* producer writes head, consumer tail */
static struct { volatile uint64_t v[MAX_RING]; } __attribute__((aligned(SDK_PAGE))) spsc_slots, mpmc_slots;

static ticketlock_t mpmc_lock __attribute__((aligned(SDK_PAGE)));
static struct { uint64_t head, tail, taken; } __attribute__((aligned(SDK_PAGE))) mpmc;  /* under mpmc_lock */

typedef struct { uint64_t rounds, items, ring; } job_t;
enum { P_SPSC_SUM, P_SPSC_BAD, P_MPMC_SUM, P_MPMC_COUNT, P_MPMC_BAD };

static void note_bad(uint64_t round) {
  uint64_t zero = 0;
  __atomic_compare_exchange_n(&bad_round.v, &zero, round, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

static void rounds_phase(unsigned tid, unsigned n, uint64_t rounds) {
  for (uint64_t r = 1; r <= rounds; r++) {
    store_rel(&reached[tid].v, r);
    __atomic_fetch_add(&arrivals.v, 1, __ATOMIC_RELAXED);
    barrier_wait(&bar);
    for (unsigned j = 0; j < n; j++) {
      uint64_t got = load_acq(&reached[j].v);
      if (got < r || got > r + 1) note_bad(r);
    }
    uint64_t a = __atomic_load_n(&arrivals.v, __ATOMIC_RELAXED);
    if (a < r * n || a > (r + 1) * n) note_bad(r);
  }
}

static void spsc_phase(unsigned tid, unsigned n, const job_t *j) {
  uint64_t ring = j->ring;
  if (tid == 0) {
    for (uint64_t v = 1; v <= j->items; v++) {
      uint64_t h = spsc_head.v;
      while (h - load_acq(&spsc_tail.v) == ring) cpu_relax();
      spsc_slots.v[h % ring] = v;
      store_rel(&spsc_head.v, h + 1);
    }
  } else if (tid == n - 1) {
    uint64_t sum = 0, bad = 0;
    for (uint64_t want = 1; want <= j->items; want++) {
      uint64_t t = spsc_tail.v;
      while (load_acq(&spsc_head.v) == t) cpu_relax();
      uint64_t v = spsc_slots.v[t % ring];
      bad += v != want;
      sum += v;
      store_rel(&spsc_tail.v, t + 1);
    }
    partials[tid].v[P_SPSC_SUM] = sum;
    partials[tid].v[P_SPSC_BAD] = bad;
  }
}

/* Producer p's values are (p << 32) | index, index = global item number 1..items. */
static void mpmc_phase(unsigned tid, unsigned n, const job_t *j) {
  unsigned producers = n / 2;
  if (tid < producers) {
    uint64_t lo, hi;
    par_split(j->items, tid, producers, &lo, &hi);
    for (uint64_t i = lo; i < hi; i++) {
      for (;;) {
        /* peek without the lock first: spinning on the lock itself convoys */
        while (__atomic_load_n(&mpmc.head, __ATOMIC_RELAXED) - __atomic_load_n(&mpmc.tail, __ATOMIC_RELAXED) >= j->ring) cpu_relax();
        ticket_lock(&mpmc_lock);
        if (mpmc.head - mpmc.tail < j->ring) break;
        ticket_unlock(&mpmc_lock);
      }
      mpmc_slots.v[mpmc.head++ % j->ring] = ((uint64_t)tid << 32) | (i + 1);
      ticket_unlock(&mpmc_lock);
    }
    return;
  }
  uint64_t last[SDK_MAX_HARTS] = {0}, sum = 0, count = 0, bad = 0;
  for (;;) {
    while (__atomic_load_n(&mpmc.head, __ATOMIC_RELAXED) == __atomic_load_n(&mpmc.tail, __ATOMIC_RELAXED) &&
           __atomic_load_n(&mpmc.taken, __ATOMIC_RELAXED) != j->items) cpu_relax();
    ticket_lock(&mpmc_lock);
    if (mpmc.taken == j->items) { ticket_unlock(&mpmc_lock); break; }
    if (mpmc.head == mpmc.tail) { ticket_unlock(&mpmc_lock); continue; }
    uint64_t v = mpmc_slots.v[mpmc.tail++ % j->ring];
    mpmc.taken++;
    ticket_unlock(&mpmc_lock);
    uint64_t p = v >> 32, idx = v & 0xFFFFFFFFu;
    if (p >= producers || idx <= last[p]) bad++;
    else last[p] = idx;
    sum += idx;
    count++;
  }
  partials[tid].v[P_MPMC_SUM] = sum;
  partials[tid].v[P_MPMC_COUNT] = count;
  partials[tid].v[P_MPMC_BAD] = bad;
}

static void body(unsigned tid, unsigned n, void *arg) {
  const job_t *j = arg;
  rounds_phase(tid, n, j->rounds);
  barrier_wait(&bar);
  spsc_phase(tid, n, j);
  barrier_wait(&bar);
  mpmc_phase(tid, n, j);
}

static bool check(const char *what, uint64_t got, uint64_t want) {
  if (got == want) return true;
  printf("t-barrier: %s = %lu, want %lu\n", what, (unsigned long)got, (unsigned long)want);
  return false;
}

int main(void) {
  job_t j = {arg_u64("rounds", 2000), arg_u64("items", 20000), arg_u64("ring", 64)};
  unsigned n = arg_threads();
  args_done();
  if (n < 2) fail(EXIT_BADARG, "t-barrier needs 2+ threads (has %u)", n);
  if (j.ring < 1 || j.ring > MAX_RING) fail(EXIT_BADARG, "argument ring=%lu: must be 1..%u", (unsigned long)j.ring, MAX_RING);
  if (j.items >= (1ULL << 32)) fail(EXIT_BADARG, "argument items=%lu: must be < 2^32", (unsigned long)j.items);
  barrier_init(&bar, n);
  partials_clear();
  span_t span = {0};
  span_begin(&span);
  par_run(n, body, &j);
  span_end(&span);

  uint64_t tri = j.items * (j.items + 1) / 2;
  bool ok = true;
  ok &= check("first round with a straggler or a runaway", bad_round.v, 0);
  ok &= check("barrier arrivals", arrivals.v, j.rounds * n);
  ok &= check("spsc sum", partials_sum(P_SPSC_SUM), tri);
  ok &= check("spsc values out of order", partials_sum(P_SPSC_BAD), 0);
  ok &= check("mpmc count", partials_sum(P_MPMC_COUNT), j.items);
  ok &= check("mpmc sum", partials_sum(P_MPMC_SUM), tri);
  ok &= check("mpmc values out of per-producer order", partials_sum(P_MPMC_BAD), 0);
  uint64_t h = mix64(mix64(mix64(j.rounds) ^ arrivals.v / n) ^ partials_sum(P_SPSC_SUM)) ^ partials_sum(P_MPMC_SUM);
  result_line("t-barrier", ok, "harts=%u rounds=%lu items=%lu ring=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              n, (unsigned long)j.rounds, (unsigned long)j.items, (unsigned long)j.ring, (unsigned long)mix64(h),
              (unsigned long)span.ticks, (unsigned long)span.instret);
  return ok ? EXIT_OK : EXIT_WRONG;
}
