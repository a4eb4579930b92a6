/* pingpong: threads 0 and 1 hand one page back and forth; whoever holds the
 * turn bumps a counter and writes into the page, then passes the turn.
 * rounds= round trips (0 -> 1 -> 0). Reports ticks per round trip: the page
 * fault latency as the guest sees it. With one hart it plays both sides.
 * Check: counter == 2*rounds and the data words sum to 1 + 2 + ... + 2*rounds. */
#include "common.h"

#define SLOTS 500
typedef struct {
  volatile uint64_t turn, counter;
  volatile uint64_t data[SLOTS];
} __attribute__((aligned(SDK_PAGE))) page_t;
typedef struct { page_t *page; uint64_t rounds; unsigned sides; } job_t;

static void hand_over(page_t *p, unsigned me) {
  uint64_t c = p->counter + 1;
  p->counter = c;
  p->data[c % SLOTS] += c;
  __atomic_store_n(&p->turn, me ^ 1, __ATOMIC_RELEASE);
}

static void play(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  (void)nt;
  if (tid >= 2) return;
  for (uint64_t r = 0; r < j->rounds; r++) {
    for (unsigned side = tid; side < 2; side += j->sides) {
      while (__atomic_load_n(&j->page->turn, __ATOMIC_ACQUIRE) != side) cpu_relax();
      hand_over(j->page, side);
    }
  }
}

int main(void) {
  uint64_t rounds = arg_u64("rounds", 10000);
  unsigned threads = (unsigned)arg_u64("threads", hart_count() >= 2 ? 2 : 1);
  args_done();
  if (threads < 1 || threads > 2 || threads > hart_count())
    fail(EXIT_BADARG, "argument threads=%u: pingpong uses 1 or 2 threads (machine has %u harts)", threads, hart_count());
  job_t j = {.rounds = rounds, .sides = threads};
  j.page = sdk_alloc(sizeof(page_t), SDK_PAGE);
  memset((void *)j.page, 0, sizeof(page_t));
  span_t all = {0};
  span_begin(&all);
  par_run(threads, play, &j);
  span_end(&all);
  uint64_t sum = 0;
  for (unsigned k = 0; k < SLOTS; k++) sum += j.page->data[k];
  uint64_t want_counter = 2 * rounds, want_sum = rounds * (2 * rounds + 1);
  bool ok = j.page->counter == want_counter && sum == want_sum;
  if (!ok) printf("pingpong: counter %lu sum %lu, want %lu %lu\n", (unsigned long)j.page->counter,
                  (unsigned long)sum, (unsigned long)want_counter, (unsigned long)want_sum);
  uint64_t per = rounds ? all.ticks / rounds : 0;
  uint64_t ns = rounds && timebase_hz() ? (uint64_t)((__uint128_t)all.ticks * 1000000000ULL / timebase_hz() / rounds) : 0;
  result_line("pingpong", ok, "harts=%u rounds=%lu checksum=0x%016lx ticks=%lu instret=%lu rt_ticks=%lu rt_ns=%lu",
              threads, (unsigned long)rounds, (unsigned long)mix64(j.page->counter ^ mix64(sum)),
              (unsigned long)all.ticks, (unsigned long)all.instret, (unsigned long)per, (unsigned long)ns);
  return ok ? EXIT_OK : EXIT_WRONG;
}
