/* Takes three machine timer interrupts 1 ms apart, sleeping in WFI between
 * them, and checks that mtime really advanced past each deadline. */
#include "rt.h"

#define TICK 10000 /* 1 ms at 10 MHz */
static volatile int ticks;
static volatile int late_ok = 1;

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) {
  if (cause != ((1ull << 63) | 7)) finish(98);
  if (*CLINT_MTIME < *CLINT_MTIMECMP(0)) late_ok = 0; /* fired early */
  ticks++;
  *CLINT_MTIMECMP(0) = *CLINT_MTIME + TICK;
  return epc;
}

int main(uintptr_t hartid) {
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  uint64_t start = *CLINT_MTIME;
  *CLINT_MTIMECMP(0) = start + TICK;
  __asm__ volatile("csrs mie, %0" ::"r"(1 << 7));
  __asm__ volatile("csrs mstatus, %0" ::"r"(1 << 3));
  while (ticks < 3) __asm__ volatile("wfi");
  __asm__ volatile("csrc mie, %0" ::"r"(1 << 7));
  uint64_t elapsed = *CLINT_MTIME - start;
  puts_("timer ticks 3, elapsed >= 3ms: ");
  putu(elapsed >= 3 * TICK);
  puts_("\n");
  return late_ok && elapsed >= 3 * TICK ? 0 : 4;
}
