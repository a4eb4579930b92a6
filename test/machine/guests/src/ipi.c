/* Hart 0 wakes hart 1 out of WFI with a software interrupt (CLINT msip);
 * hart 1 answers by sending one back. Needs 2+ harts. */
#include "rt.h"

static volatile int got[2];

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) {
  uintptr_t hart;
  __asm__ volatile("csrr %0, mhartid" : "=r"(hart));
  if (cause != ((1ull << 63) | 3) || hart > 1) finish(97);
  *CLINT_MSIP(hart) = 0;
  got[hart] = 1;
  return epc;
}

int main(uintptr_t hartid) {
  if (hartid > 1) for (;;) __asm__ volatile("wfi");
  __asm__ volatile("csrs mie, %0" ::"r"(1 << 3));
  __asm__ volatile("csrs mstatus, %0" ::"r"(1 << 3));
  if (hartid == 1) {
    while (!got[1]) __asm__ volatile("wfi");
    puts_("hart 1 got ipi\n");
    *CLINT_MSIP(0) = 1;
    for (;;) __asm__ volatile("wfi");
  }
  for (volatile int i = 0; i < 10000; i++) {} /* let hart 1 reach WFI (not required) */
  *CLINT_MSIP(1) = 1;
  while (!got[0]) __asm__ volatile("wfi");
  puts_("hart 0 got ipi back\n");
  return 0;
}
