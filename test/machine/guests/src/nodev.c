/* Loads and stores to an address with no device behind it take access
 * faults (cause 5 / 7, mtval = the address), as on QEMU virt. */
#include "rt.h"

#define NODEV 0x08000000UL
static volatile uintptr_t last_cause, last_tval;

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) {
  uintptr_t tval;
  __asm__ volatile("csrr %0, mtval" : "=r"(tval));
  last_cause = cause;
  last_tval = tval;
  return epc + 4; /* the faulting accesses below are 4-byte instructions */
}

int main(uintptr_t hartid) {
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  uint32_t v = 0x1234;
  __asm__ volatile(".option push\n.option norvc\nlw %0, 0(%1)\n.option pop" : "+r"(v) : "r"(NODEV) : "memory");
  puts_("load: cause "); putu(last_cause); puts_(" tval ok "); putu(last_tval == NODEV);
  puts_(" value kept "); putu(v == 0x1234); puts_("\n");
  last_cause = 0;
  __asm__ volatile(".option push\n.option norvc\nsw %0, 8(%1)\n.option pop" ::"r"(v), "r"(NODEV) : "memory");
  puts_("store: cause "); putu(last_cause); puts_(" tval ok "); putu(last_tval == NODEV + 8); puts_("\n");
  return 0;
}
