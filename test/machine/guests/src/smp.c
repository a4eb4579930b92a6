/* Every hart bumps three shared counters ITERS times: with AMO add, with an
 * LR/SC loop, and with a plain add under a spinlock. Hart 0 checks exact totals. */
#include "rt.h"

#define ITERS 20000

static volatile uint64_t amo_count, lrsc_count, lock_count;
static volatile int counter_lock;
static volatile int done_harts;

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) { (void)cause; finish(99); return epc; }

static void lrsc_inc(volatile uint64_t *p) {
  uint64_t tmp, fail;
  __asm__ volatile(
      "1: lr.d %0, (%2)\n"
      "   addi %0, %0, 1\n"
      "   sc.d %1, %0, (%2)\n"
      "   bnez %1, 1b\n"
      : "=&r"(tmp), "=&r"(fail)
      : "r"(p)
      : "memory");
}

int main(uintptr_t hartid, const void *fdt) {
  int harts = fdt_cpu_count(fdt);
  for (int i = 0; i < ITERS; i++) {
    __atomic_fetch_add(&amo_count, 1, __ATOMIC_RELAXED);
    lrsc_inc(&lrsc_count);
    lock(&counter_lock);
    lock_count = lock_count + 1;
    unlock(&counter_lock);
  }
  __atomic_fetch_add(&done_harts, 1, __ATOMIC_SEQ_CST);
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  while (done_harts != harts) {}
  uint64_t want = (uint64_t)harts * ITERS;
  puts_("harts "); putu((uint64_t)harts);
  puts_(" amo "); putu(amo_count);
  puts_(" lrsc "); putu(lrsc_count);
  puts_(" lock "); putu(lock_count);
  puts_("\n");
  return amo_count == want && lrsc_count == want && lock_count == want ? 0 : 3;
}
