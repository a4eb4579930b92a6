/* Hart start-up, the parallel-region dispatcher and exit. */
#include "internal.h"
#include "fdt.h"

#define FINISHER ((volatile uint32_t *)0x00100000UL)
#define MIE_MSIE (1UL << 3)

/* In .data, not .bss: secondaries poll it before hart 0 has cleared .bss. */
static volatile uint32_t boot_ready __attribute__((section(".data"))) = 0;

/* One mailbox per hart on its own page, so under a page-based DSM only the
 * dispatcher and that hart ever touch it. */
typedef struct {
  volatile uint64_t gen, done;
  par_fn fn;
  void *arg;
  unsigned nthreads;
} __attribute__((aligned(SDK_PAGE))) mailbox;
static mailbox mbox[SDK_MAX_HARTS];
static barrier_t par_bar;

static void fence_all(void) { __asm__ volatile("fence iorw, iorw" ::: "memory"); }

_Noreturn void sdk_exit(int code) {
  fence_all();
  if (code == 0) *FINISHER = 0x5555;
  else {
    uint32_t c = (code < 1 || code > 255) ? 255 : (uint32_t)code;
    *FINISHER = (c << 16) | 0x3333;
  }
  for (;;) __asm__ volatile("wfi");
}

void sdk_boot(unsigned long hartid, const void *fdt) {
  (void)hartid;
  const char *err = platform_init(fdt);
  if (err) {
    const char *prefix = "sdk: ";
    console_write(prefix, strlen(prefix));
    console_write(err, strlen(err));
    console_write("\n", 1);
    sdk_exit(EXIT_BADARG);
  }
  heap_init((uint64_t)(uintptr_t)fdt, fdt_totalsize(fdt));
  __atomic_store_n(&boot_ready, 1, __ATOMIC_RELEASE);
  sdk_exit(main());
}

void sdk_secondary(unsigned long hartid, const void *fdt) {
  (void)fdt;
  while (!__atomic_load_n(&boot_ready, __ATOMIC_ACQUIRE)) cpu_relax();
  int tid = platform_index_of((unsigned)hartid);
  if (tid < 0) for (;;) __asm__ volatile("wfi");   /* not in the device tree: stay out */
  mailbox *m = &mbox[tid];
  uint64_t seen = 0;
  __asm__ volatile("csrs mie, %0" ::"r"(MIE_MSIE));  /* msip wakes wfi; mstatus.MIE stays 0 */
  for (;;) {
    uint64_t g;
    for (;;) {
      *platform_msip(hartid) = 0;
      fence_all();
      g = __atomic_load_n(&m->gen, __ATOMIC_ACQUIRE);
      if (g != seen) break;
      __asm__ volatile("wfi");
    }
    seen = g;
    m->fn((unsigned)tid, m->nthreads, m->arg);
    __atomic_store_n(&m->done, g, __ATOMIC_RELEASE);
  }
}

void par_run(unsigned nthreads, par_fn fn, void *arg) {
  if (nthreads < 1 || nthreads > hart_count()) fail(EXIT_BADARG, "par_run: %u threads, machine has %u harts", nthreads, hart_count());
  if (hart_id() != 0) fail(EXIT_WRONG, "par_run called from hart %u (only hart 0 may)", hart_id());
  barrier_init(&par_bar, nthreads);
  for (unsigned t = 1; t < nthreads; t++) {
    mailbox *m = &mbox[t];
    m->fn = fn;
    m->arg = arg;
    m->nthreads = nthreads;
    __atomic_store_n(&m->gen, m->gen + 1, __ATOMIC_RELEASE);
    fence_all();
    *platform_msip(hart_id_of(t)) = 1;
  }
  fn(0, nthreads, arg);
  for (unsigned t = 1; t < nthreads; t++)
    while (__atomic_load_n(&mbox[t].done, __ATOMIC_ACQUIRE) != mbox[t].gen) cpu_relax();
}

void par_barrier(void) { barrier_wait(&par_bar); }

void par_split(uint64_t n, unsigned tid, unsigned nthreads, uint64_t *lo, uint64_t *hi) {
  uint64_t q = n / nthreads, r = n % nthreads;
  *lo = q * tid + (tid < r ? tid : r);
  *hi = *lo + q + (tid < r ? 1 : 0);
}
