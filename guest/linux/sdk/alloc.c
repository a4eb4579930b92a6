/* sdk_alloc on anonymous mmap: zeroed, untouched pages, so the thread that
 * first writes a page decides its NUMA node, as on bare metal. Alignments
 * above a page are met by trimming an over-sized mapping. */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include "unum.h"

#define MAX_LIVE 256
typedef struct { void *p; size_t len; } mapping;
static mapping live[MAX_LIVE];   /* for sdk_free: what to munmap */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static size_t round_up(size_t x, size_t a) { return (x + a - 1) & ~(a - 1); }

void *sdk_alloc(size_t size, size_t align) {
  if (align < 16) align = 16;
  if (align & (align - 1)) fail(EXIT_WRONG, "sdk_alloc: alignment %lu is not a power of two", (unsigned long)align);
  size_t len = round_up(size ? size : 1, SDK_PAGE), extra = align > SDK_PAGE ? align : 0;
  char *m = mmap(0, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    fail(EXIT_NOMEM, "out of memory: wanted %lu bytes, %lu free (RAM %lu); give the VM more memory or use a smaller size=",
         (unsigned long)size, (unsigned long)sdk_heap_free(), (unsigned long)mem_size());
  char *p = m;
  if (extra) {
    p = (char *)round_up((size_t)m, align);
    if (p > m) munmap(m, (size_t)(p - m));
    if (m + len + extra > p + len) munmap(p + len, (size_t)(m + len + extra - (p + len)));
  }
  pthread_mutex_lock(&mu);
  for (unsigned i = 0; i < MAX_LIVE; i++)
    if (!live[i].p) { live[i] = (mapping){p, len}; break; }
  pthread_mutex_unlock(&mu);
  return p;
}

void sdk_free(void *p) {
  if (!p) return;
  pthread_mutex_lock(&mu);
  for (unsigned i = 0; i < MAX_LIVE; i++)
    if (live[i].p == p) { munmap(p, live[i].len); live[i].p = 0; break; }
  pthread_mutex_unlock(&mu);
}

uint64_t sdk_heap_free(void) {
  struct sysinfo si;
  return sysinfo(&si) == 0 ? (uint64_t)si.freeram * si.mem_unit : 0;
}
