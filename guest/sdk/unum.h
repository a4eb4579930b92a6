/* unum guest SDK: the whole public API of the bare-metal runtime.
 * Programs define `int main(void)`; it runs on hart 0 after the SDK has
 * parsed the device tree. Other harts wait until main hands them work
 * with par_run(). See guest/README.md. */
#ifndef UNUM_H
#define UNUM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define SDK_MAX_HARTS 64
#define SDK_PAGE 4096u

/* Exit codes shared by every program (the test finisher passes them to the host). */
enum { EXIT_OK = 0, EXIT_WRONG = 1, EXIT_BADARG = 2, EXIT_TRAP = 3, EXIT_NOMEM = 4 };

/* ---- platform (from the device tree) ---- */
unsigned hart_count(void);             /* usable harts: /cpus/cpu@* with status okay or no status */
unsigned hart_id(void);                /* mhartid of the calling hart */
unsigned hart_index(void);             /* position of the calling hart in the hart list (0..hart_count-1) */
unsigned hart_id_of(unsigned index);   /* mhartid of the index-th hart */
unsigned hart_node(unsigned index);    /* numa-node-id of the index-th hart (0 if absent) */
unsigned addr_node(const void *addr);  /* numa-node-id of the memory node holding addr (0 if absent) */
uint64_t mem_size(void);               /* sum of /memory reg sizes */
uint64_t timebase_hz(void);            /* /cpus timebase-frequency */
const char *bootargs(void);            /* /chosen/bootargs, "" if absent */

/* ---- counters ---- */
static inline uint64_t mtime(void) { return *(volatile uint64_t *)0x0200BFF8UL; }
static inline uint64_t rdinstret(void) { uint64_t v; __asm__ volatile("rdinstret %0" : "=r"(v)); return v; }
/* Zihintpause PAUSE (a FENCE hint: a nop where the extension is absent), as
 * Linux's cpu_relax: a spin-wait a hypervisor can see (unum yields the core). */
static inline void cpu_relax(void) { __asm__ volatile(".4byte 0x0100000f"); }

/* ---- console and exit ---- */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void uart_putc(char c);
int uart_getc(void);                   /* blocks until a byte arrives */
_Noreturn void sdk_exit(int code);     /* from any hart: 0 → pass, else fail with code (1..255) */
_Noreturn void fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- locks and barriers (AMO based) ---- */
typedef struct { volatile uint32_t held; } spinlock_t;
typedef struct { volatile uint32_t next, serving; } ticketlock_t;
typedef struct { volatile uint32_t count, sense; uint32_t n; } barrier_t;
#define SPINLOCK_INIT {0}
#define TICKETLOCK_INIT {0, 0}
void spin_lock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
void ticket_lock(ticketlock_t *l);
void ticket_unlock(ticketlock_t *l);
void barrier_init(barrier_t *b, uint32_t n);
void barrier_wait(barrier_t *b);       /* sense-reversing: reusable immediately */

/* ---- parallel regions ---- */
/* fn(tid, nthreads, arg) runs on harts 0..nthreads-1 of the hart list (tid 0 is
 * the caller, hart 0) and par_run returns when all are done. Call from main only. */
typedef void (*par_fn)(unsigned tid, unsigned nthreads, void *arg);
void par_run(unsigned nthreads, par_fn fn, void *arg);
void par_barrier(void);                /* barrier over the threads of the current par_run */
/* [*lo, *hi) = tid's share of n items, contiguous, sizes differ by at most one */
void par_split(uint64_t n, unsigned tid, unsigned nthreads, uint64_t *lo, uint64_t *hi);

/* ---- memory ---- */
void *sdk_alloc(size_t size, size_t align);   /* exits with EXIT_NOMEM when RAM runs out */
void sdk_free(void *p);
uint64_t sdk_heap_free(void);                 /* bytes never handed out yet */

/* ---- arguments from /chosen/bootargs: "key=value key=value" ---- */
/* Every key a program reads is recorded; args_done() fails on any other key.
 * Numbers: decimal or 0x hex, optional K/M/G suffix (powers of 1024). */
uint64_t arg_u64(const char *key, uint64_t def);
const char *arg_str(const char *key, const char *def);  /* returns a NUL-terminated copy */
unsigned arg_threads(void);            /* threads=N, default hart_count(), 1..hart_count() */
void args_done(void);                  /* exits EXIT_BADARG on unknown keys */

/* ---- helpers for workloads ---- */
static inline uint64_t mix64(uint64_t x) {   /* splitmix64 finalizer */
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
/* Prints the one RESULT line: "RESULT name=<name> <fields> verify=ok|fail". */
void result_line(const char *name, bool ok, const char *fields, ...) __attribute__((format(printf, 3, 4)));

/* libc subset the compiler may call */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

int main(void);

#endif
