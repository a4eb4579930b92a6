/* Harts take turns (a token in memory) printing one line each, 3 rounds:
 * the output order must follow the token, which checks that console writes
 * from different harts reach the UART in the order the harts made them. */
#include "rt.h"

static volatile int turn;

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) { (void)cause; finish(99); return epc; }

int main(uintptr_t hartid, const void *fdt) {
  int harts = fdt_cpu_count(fdt);
  for (int round = 0; round < 3; round++) {
    int me = round * harts + (int)hartid;
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != me) {}
    const char *s = "hart ";
    while (*s) putc_(*s++);
    putc_((char)('0' + hartid));
    s = " round ";
    while (*s) putc_(*s++);
    putc_((char)('0' + round));
    putc_('\n');
    __atomic_store_n(&turn, me + 1, __ATOMIC_RELEASE);
  }
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 3 * harts) {}
  return 0;
}
