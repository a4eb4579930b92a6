/* The SDK API (guest/sdk/unum.h) for Linux user space. The bare-metal header
 * reads mtime from the CLINT's MMIO page, which a process can't map, so its
 * inline counters are renamed out of the way and replaced by functions
 * (counters.c). `main` becomes unum_main: the program's `int main(void)` is
 * called by the real main (main.c), which first turns argv into bootargs. */
#ifndef UNUM_LINUX_H
#define UNUM_LINUX_H

#define mtime unum_clint_mtime
#define rdinstret unum_csr_rdinstret
#define main unum_main
#include "../../sdk/unum.h"
#undef mtime
#undef rdinstret

uint64_t mtime(void);      /* CLOCK_MONOTONIC in ns; timebase_hz() is 1e9 */
uint64_t rdinstret(void);  /* the instret CSR, or 0 if the kernel/firmware forbids it */

/* Pin the calling thread to one CPU; 0, or the errno of sched_setaffinity. */
int pin_cpu(uint64_t cpu);
/* A program's cpu= argument: pin there, or fail naming it; UINT64_MAX (not
 * given) leaves the process free. */
void pin_cpu_arg(uint64_t cpu);

/* Index of the calling thread in par_run (0 = main thread); set by par.c. */
extern __thread unsigned sdk_thread_index;

#endif
