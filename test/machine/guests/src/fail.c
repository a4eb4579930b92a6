/* Exits through the finisher with failure code 7. */
#include "rt.h"

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) { (void)cause; finish(99); return epc; }

int main(uintptr_t hartid) {
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  puts_("failing with 7\n");
  return 7;
}
