/* fault: makes a trap on purpose so tests can see the SDK's trap report
 * (cause, mepc, mtval) and the failing exit code 3.
 * kind=illegal (default) | load (unmapped address) | misaligned (AMO) | ecall;
 * hart=N raises it on the N-th hart instead of hart 0. */
#include "unum.h"

static const char *kind;

static void raise_trap(unsigned tid, unsigned nt, void *arg) {
  unsigned target = *(unsigned *)arg;
  (void)nt;
  if (tid != target) { for (;;) cpu_relax(); }   /* the trap ends the whole machine */
  if (strcmp(kind, "load") == 0) (void)*(volatile uint64_t *)0x4000000000ULL;
  else if (strcmp(kind, "misaligned") == 0) {
    uint64_t buf[2] = {0, 0};
    __atomic_fetch_add((uint64_t *)((char *)buf + 3), 1, __ATOMIC_RELAXED);
  } else if (strcmp(kind, "ecall") == 0) __asm__ volatile("ecall");
  else __asm__ volatile(".word 0x00000000");   /* all-zero: always illegal */
  printf("fault: kind=%s did not trap\n", kind);
  sdk_exit(EXIT_WRONG);
}

int main(void) {
  kind = arg_str("kind", "illegal");
  unsigned hart = (unsigned)arg_u64("hart", 0);
  args_done();
  if (strcmp(kind, "illegal") && strcmp(kind, "load") && strcmp(kind, "misaligned") && strcmp(kind, "ecall"))
    fail(EXIT_BADARG, "argument kind=%s: expected illegal, load, misaligned or ecall", kind);
  if (hart >= hart_count()) fail(EXIT_BADARG, "argument hart=%u: machine has %u harts", hart, hart_count());
  printf("fault: raising %s on thread %u\n", kind, hart);
  par_run(hart + 1, raise_trap, &hart);
  return EXIT_WRONG;
}
