/* Prints a greeting and the device-tree facts it was booted with, then passes. */
#include "rt.h"

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) { (void)cause; finish(99); return epc; }

int main(uintptr_t hartid, const void *fdt) {
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  puts_("hello from unum guest\n");
  puts_("harts: ");
  putu((uint64_t)fdt_cpu_count(fdt));
  puts_("\nfdt aligned: ");
  putu(((uintptr_t)fdt & 0x1fffff) == 0);
  puts_("\n");
  return 0;
}
