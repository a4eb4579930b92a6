/* t-atomics: every thread does k= increments of each shared counter, and the
 * totals must come out exact. Counters: amoadd.w, amoadd.d, an lr.w/sc.w and
 * an lr.d/sc.d loop, a plain counter under the SDK ticket lock and one under
 * the SDK spin lock; plus amoor.d, amomaxu.d, amominu.d and amoswap.d, whose
 * final values (and, for swap, the values handed back) are also exact.
 * Each variable lives on its own page. Reports sc_retries (failed SCs). */
#include "tcommon.h"

static page_u32 amo_w, lrsc_w;
static page_u64 amo_d, lrsc_d, ticket_plain, spin_plain, or_mask, max_v, min_v, swap_v;
static ticketlock_t tlock __attribute__((aligned(SDK_PAGE)));
static spinlock_t slock __attribute__((aligned(SDK_PAGE)));
static barrier_t bar __attribute__((aligned(SDK_PAGE)));

typedef struct { uint64_t k; } job_t;
enum { P_RETRIES, P_SWAPPED };   /* partials slots */

static uint64_t lrsc_add_w(volatile uint32_t *p) {
  uint64_t retries = 0;
  uint32_t old, fail;
  for (;;) {
    __asm__ volatile("lr.w %0, (%2)\n\taddiw %1, %0, 1\n\tsc.w %1, %1, (%2)"
                     : "=&r"(old), "=&r"(fail) : "r"(p) : "memory");
    if (!fail) return retries;
    retries++;
  }
}

static uint64_t lrsc_add_d(volatile uint64_t *p) {
  uint64_t retries = 0, old, fail;
  for (;;) {
    __asm__ volatile("lr.d %0, (%2)\n\taddi %1, %0, 1\n\tsc.d %1, %1, (%2)"
                     : "=&r"(old), "=&r"(fail) : "r"(p) : "memory");
    if (!fail) return retries;
    retries++;
  }
}

static void hammer(unsigned tid, unsigned nt, void *arg) {
  (void)nt;
  uint64_t k = ((job_t *)arg)->k, retries = 0, swapped = 0;
  for (uint64_t i = 0; i < k; i++) __atomic_fetch_add(&amo_w.v, 1, __ATOMIC_RELAXED);
  for (uint64_t i = 0; i < k; i++) __atomic_fetch_add(&amo_d.v, 1, __ATOMIC_RELAXED);
  barrier_wait(&bar);
  for (uint64_t i = 0; i < k; i++) retries += lrsc_add_w(&lrsc_w.v);
  for (uint64_t i = 0; i < k; i++) retries += lrsc_add_d(&lrsc_d.v);
  barrier_wait(&bar);
  for (uint64_t i = 0; i < k; i++) {
    ticket_lock(&tlock);
    ticket_plain.v = ticket_plain.v + 1;
    ticket_unlock(&tlock);
  }
  for (uint64_t i = 0; i < k; i++) {
    spin_lock(&slock);
    spin_plain.v = spin_plain.v + 1;
    spin_unlock(&slock);
  }
  barrier_wait(&bar);
  for (uint64_t i = 0; i < k; i++) {
    uint64_t token = tid * k + i + 1;        /* 1..n*k, each once over all threads */
    __atomic_fetch_or(&or_mask.v, 1ULL << (token % 64), __ATOMIC_RELAXED);
    __asm__ volatile("amomaxu.d zero, %1, (%0)" :: "r"(&max_v.v), "r"(token) : "memory");
    __asm__ volatile("amominu.d zero, %1, (%0)" :: "r"(&min_v.v), "r"(~token) : "memory");
    swapped += __atomic_exchange_n(&swap_v.v, token, __ATOMIC_RELAXED);
  }
  partials[tid].v[P_RETRIES] = retries;
  partials[tid].v[P_SWAPPED] = swapped;
}

static bool check(const char *what, uint64_t got, uint64_t want) {
  if (got == want) return true;
  printf("t-atomics: %s = %lu, want %lu\n", what, (unsigned long)got, (unsigned long)want);
  return false;
}

int main(void) {
  uint64_t k = arg_u64("k", 10000);
  unsigned n = arg_threads();
  args_done();
  if (k == 0 || k > (1ULL << 24)) fail(EXIT_BADARG, "argument k=%lu: must be 1..16M", (unsigned long)k);
  barrier_init(&bar, n);
  min_v.v = UINT64_MAX;
  partials_clear();
  job_t job = {k};
  span_t span = {0};
  span_begin(&span);
  par_run(n, hammer, &job);
  span_end(&span);

  uint64_t nk = n * k, tokens = nk * (nk + 1) / 2;
  uint64_t mask = 0;                               /* bit token % 64 for tokens 1..nk */
  for (uint64_t t = 1; t <= nk && t <= 64; t++) mask |= 1ULL << (t % 64);
  bool ok = true;
  ok &= check("amoadd.w counter", amo_w.v, (uint32_t)nk);
  ok &= check("amoadd.d counter", amo_d.v, nk);
  ok &= check("lr.w/sc.w counter", lrsc_w.v, (uint32_t)nk);
  ok &= check("lr.d/sc.d counter", lrsc_d.v, nk);
  ok &= check("ticket-locked plain counter", ticket_plain.v, nk);
  ok &= check("spin-locked plain counter", spin_plain.v, nk);
  ok &= check("amoor.d mask", or_mask.v, mask);
  ok &= check("amomaxu.d max", max_v.v, nk);
  ok &= check("amominu.d min", min_v.v, ~nk);
  ok &= check("amoswap.d: values swapped out + final", partials_sum(P_SWAPPED) + swap_v.v, tokens);
  ok &= check("ticket lock next == serving", tlock.next, tlock.serving);
  /* Hart-independent when correct: every total divided by the thread count. */
  uint64_t h = mix64(k);
  uint64_t per_thread[] = {amo_w.v, amo_d.v, lrsc_w.v, lrsc_d.v, ticket_plain.v, spin_plain.v};
  for (unsigned i = 0; i < sizeof per_thread / 8; i++) h = mix64(h ^ (per_thread[i] / n));
  result_line("t-atomics", ok, "harts=%u k=%lu checksum=0x%016lx ticks=%lu instret=%lu amo_d=%lu lrsc_d=%lu ticket=%lu spin=%lu sc_retries=%lu",
              n, (unsigned long)k, (unsigned long)h, (unsigned long)span.ticks, (unsigned long)span.instret,
              (unsigned long)amo_d.v, (unsigned long)lrsc_d.v, (unsigned long)ticket_plain.v,
              (unsigned long)spin_plain.v, (unsigned long)partials_sum(P_RETRIES));
  return ok ? EXIT_OK : EXIT_WRONG;
}
