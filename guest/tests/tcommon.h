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
#endif
