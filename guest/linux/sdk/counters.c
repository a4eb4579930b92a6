/* Time and instruction counters. mtime() is CLOCK_MONOTONIC in ns (the vDSO
 * reads the time CSR, so it is as cheap as the bare-metal MMIO read);
 * rdinstret() reads the CSR only if the firmware let U-mode do so
 * (scounteren.IR, OpenSBI sets it): probed once, SIGILL means "no". */
#include <setjmp.h>
#include <signal.h>
#include <time.h>
#include "unum.h"

static bool instret_ok;
static sigjmp_buf probe_jmp;

static void on_sigill(int sig) { (void)sig; siglongjmp(probe_jmp, 1); }

__attribute__((constructor)) static void probe_instret(void) {
  struct sigaction sa = {0}, old;
  sa.sa_handler = on_sigill;
  sigaction(SIGILL, &sa, &old);
  if (sigsetjmp(probe_jmp, 1) == 0) {
    uint64_t v;
    __asm__ volatile("rdinstret %0" : "=r"(v));
    instret_ok = true;
  }
  sigaction(SIGILL, &old, 0);
}

uint64_t rdinstret(void) {
  uint64_t v = 0;
  if (instret_ok) __asm__ volatile("rdinstret %0" : "=r"(v));
  return v;
}

uint64_t mtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t timebase_hz(void) { return 1000000000ULL; }
