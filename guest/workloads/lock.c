/* lock: contention on one lock. count= acquisitions in total (split over
 * threads); inside the critical section the holder bumps a shared counter and
 * adds it to cs= shared words (the critical-section length).
 * kind=ticket (default) or spin (test-and-test-and-set).
 * Reports acquire_ns: mean time per acquisition, critical section included.
 * Check: counter == count and every word == 1 + 2 + ... + count, whatever the
 * order in which threads got the lock. */
#include "common.h"

typedef struct {
  ticketlock_t ticket __attribute__((aligned(SDK_PAGE)));
  spinlock_t spin;
  uint64_t counter __attribute__((aligned(SDK_PAGE)));
  uint64_t *words;
  uint64_t count, cs;
  bool use_ticket;
} job_t;

static void contend(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->count, tid, nt, &lo, &hi);
  for (uint64_t k = lo; k < hi; k++) {
    if (j->use_ticket) ticket_lock(&j->ticket); else spin_lock(&j->spin);
    uint64_t c = ++j->counter;
    for (uint64_t w = 0; w < j->cs; w++) j->words[w] += c;
    if (j->use_ticket) ticket_unlock(&j->ticket); else spin_unlock(&j->spin);
  }
}

int main(void) {
  uint64_t count = arg_u64("count", 200000);
  uint64_t cs = arg_u64("cs", 16);
  uint64_t iters = arg_u64("iters", 3);
  const char *kind = arg_str("kind", "ticket");
  unsigned threads = arg_threads();
  args_done();
  bool ticket = strcmp(kind, "ticket") == 0;
  if (!ticket && strcmp(kind, "spin") != 0) fail(EXIT_BADARG, "argument kind=%s: expected ticket or spin", kind);
  if (cs > (1u << 20)) fail(EXIT_BADARG, "argument cs=%lu: at most 1048576 words", (unsigned long)cs);
  job_t *j = sdk_alloc(sizeof(job_t), SDK_PAGE);
  memset(j, 0, sizeof *j);
  j->count = count;
  j->cs = cs;
  j->use_ticket = ticket;
  j->words = sdk_alloc((cs ? cs : 1) * 8, SDK_PAGE);
  span_t all = {0};
  bool ok = true;
  uint64_t h = 0;
  for (uint64_t it = 0; it < iters; it++) {
    j->counter = 0;
    memset(j->words, 0, cs * 8);
    span_begin(&all);
    par_run(threads, contend, j);
    span_end(&all);
    uint64_t want = count * (count + 1) / 2;
    ok = ok && j->counter == count;
    for (uint64_t w = 0; w < cs; w++) ok = ok && j->words[w] == want;
    h = mix64(h ^ j->counter);
    for (uint64_t w = 0; w < cs; w++) h = mix64(h ^ j->words[w]);
  }
  if (!ok) printf("lock: counter %lu, want %lu (or a shared word was wrong): mutual exclusion broken\n",
                  (unsigned long)j->counter, (unsigned long)count);
  uint64_t acquires = count * iters;
  uint64_t ns = acquires && timebase_hz() ? (uint64_t)((__uint128_t)all.ticks * 1000000000ULL / timebase_hz() / acquires) : 0;
  result_line("lock", ok, "harts=%u kind=%s count=%lu cs=%lu iters=%lu checksum=0x%016lx ticks=%lu instret=%lu acquire_ns=%lu",
              threads, kind, (unsigned long)count, (unsigned long)cs, (unsigned long)iters, (unsigned long)h,
              (unsigned long)all.ticks, (unsigned long)all.instret, (unsigned long)ns);
  return ok ? EXIT_OK : EXIT_WRONG;
}
