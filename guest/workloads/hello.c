/* hello: one line per hart, then exit 0. The smallest check that boot, the
 * device tree, SMP dispatch and the console work. */
#include "unum.h"

static void greet(unsigned tid, unsigned n, void *arg) {
  (void)arg;
  printf("hello from hart %u (thread %u of %u, numa node %u)\n", hart_id(), tid, n, hart_node(tid));
}

int main(void) {
  args_done();
  printf("hello: %u harts, %lu MiB RAM, timebase %lu Hz, bootargs \"%s\"\n", hart_count(),
         (unsigned long)(mem_size() >> 20), (unsigned long)timebase_hz(), bootargs());
  const char *ram = (const char *)0x80000000UL;
  printf("hello: first RAM byte on numa node %u, last on numa node %u\n", addr_node(ram), addr_node(ram + mem_size() - 1));
  par_run(hart_count(), greet, 0);
  return 0;
}
