/* Shared by the t-* test guests: one variable per 4 KiB page (so a page-based
 * DSM moves each one on its own), fences, bounded waits. */
#ifndef TESTS_TCOMMON_H
#define TESTS_TCOMMON_H
#include "common.h"

typedef struct { volatile uint64_t v; } __attribute__((aligned(SDK_PAGE))) page_u64;
typedef struct { volatile uint32_t v; } __attribute__((aligned(SDK_PAGE))) page_u32;

static inline void fence_rw(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }
static inline void fence_io(void) { __asm__ volatile("fence iorw, iorw" ::: "memory"); }
static inline void compiler_barrier(void) { __asm__ volatile("" ::: "memory"); }

static inline uint64_t load_acq(volatile uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void store_rel(volatile uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

/* mtime ticks in `seconds` seconds: the bound for every wait on another hart. */
static inline uint64_t wait_ticks(uint64_t seconds) { return seconds * (timebase_hz() ? timebase_hz() : 10000000); }

/* Spins until *p >= want or `seconds` of mtime pass; false on timeout. */
static inline bool wait_ge(volatile uint64_t *p, uint64_t want, uint64_t seconds) {
  uint64_t end = mtime() + wait_ticks(seconds);
  while (load_acq(p) < want)
    if (mtime() > end) return false;
  return true;
}

/* Which interrupt-enable bit the waiting code runs under. */
enum irq_mode { IRQ_M, IRQ_S };
static inline void irq_enable(enum irq_mode m) {
  if (m == IRQ_M) __asm__ volatile("csrsi mstatus, 8" ::: "memory");
  else __asm__ volatile("csrsi sstatus, 2" ::: "memory");
}
static inline void irq_disable(enum irq_mode m) {
  if (m == IRQ_M) __asm__ volatile("csrci mstatus, 8" ::: "memory");
  else __asm__ volatile("csrci sstatus, 2" ::: "memory");
}

/* One wfi unless `done` holds, without the lost wake-up: with the enable bit
 * off, an interrupt that arrives after `done` was read stays pending, and a
 * pending enabled interrupt ends wfi whatever mstatus.MIE/sstatus.SIE say;
 * it is taken when the bit goes back on. Otherwise a hart whose interrupt came
 * between its check and its wfi sleeps forever on QEMU. */
#define WFI_UNLESS(mode, done) do {          \
    irq_disable(mode);                       \
    if (!(done)) __asm__ volatile("wfi");    \
    irq_enable(mode);                        \
  } while (0)
#endif
