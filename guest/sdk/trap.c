/* Any trap in a workload is a bug: report it and fail. */
#include "internal.h"

static const char *cause_name(uint64_t cause) {
  static const char *const names[] = {
    "instruction address misaligned", "instruction access fault", "illegal instruction",
    "breakpoint", "load address misaligned", "load access fault",
    "store/AMO address misaligned", "store/AMO access fault", "ecall from U-mode",
    "ecall from S-mode", "reserved", "ecall from M-mode", "instruction page fault",
    "load page fault", "reserved", "store/AMO page fault"};
  if (cause >> 63) return "interrupt";
  return cause < sizeof names / sizeof names[0] ? names[cause] : "unknown";
}

void sdk_trap(uint64_t cause, uint64_t epc, uint64_t tval, uint64_t hartid) {
  char buf[200];
  int n = snprintf(buf, sizeof buf, "TRAP hart=%lu cause=0x%lx (%s) mepc=0x%lx mtval=0x%lx\n",
                   (unsigned long)hartid, (unsigned long)cause, cause_name(cause),
                   (unsigned long)epc, (unsigned long)tval);
  /* The trap may have hit while this hart held the console: don't wait forever. */
  bool locked = false;
  for (int i = 0; i < 1000000 && !locked; i++) locked = console_trylock();
  console_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
  if (locked) console_unlock();
  sdk_exit(EXIT_TRAP);
}
