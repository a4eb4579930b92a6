/* Heap over all RAM the device tree reports, minus the image and the FDT blob.
 * Bump allocation through the free ranges; freed blocks go on a first-fit list
 * and are reused whole. */
#include "internal.h"

extern char __heap_start[];

#define MAX_RANGES (3 * SDK_MAX_MEM)
typedef struct { uint64_t next, end; } range_t;
typedef struct block { struct block *next; uint64_t size; } block_t;  /* at a block's start */
typedef struct { uint64_t start, size; } header_t;                     /* just below the user pointer */

static range_t ranges[MAX_RANGES];
static unsigned nranges;
static block_t *free_list;
static spinlock_t heap_lock = SPINLOCK_INIT;

static uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }

static void add_range(uint64_t lo, uint64_t hi) {
  lo = align_up(lo, 64);
  if (nranges && ranges[nranges - 1].end == lo) ranges[nranges - 1].end = hi;  /* adjacent NUMA nodes */
  else if (hi > lo + 4096 && nranges < MAX_RANGES) ranges[nranges++] = (range_t){lo, hi};
}

/* Adds [lo, hi) minus the hole [hole_lo, hole_hi). */
static void add_minus(uint64_t lo, uint64_t hi, uint64_t hole_lo, uint64_t hole_hi, uint64_t hole2_lo, uint64_t hole2_hi) {
  if (hole_hi <= lo || hole_lo >= hi) {
    if (hole2_lo != hole2_hi) add_minus(lo, hi, hole2_lo, hole2_hi, 0, 0);
    else add_range(lo, hi);
    return;
  }
  if (hole_lo > lo) add_minus(lo, hole_lo, hole2_lo, hole2_hi, 0, 0);
  if (hole_hi < hi) add_minus(hole_hi, hi, hole2_lo, hole2_hi, 0, 0);
}

void heap_init(uint64_t fdt_addr, uint64_t fdt_size) {
  const mem_range *m;
  unsigned n = platform_mem_ranges(&m);
  uint64_t fdt_lo = fdt_addr & ~4095ULL, fdt_hi = align_up(fdt_addr + fdt_size, 4096);
  for (unsigned i = 0; i < n; i++)
    add_minus(m[i].base, m[i].base + m[i].size, 0x80000000ULL, (uint64_t)(uintptr_t)__heap_start, fdt_lo, fdt_hi);
}

static void *take(uint64_t start, uint64_t size, uint64_t user) {
  header_t *h = (header_t *)(uintptr_t)(user - sizeof(header_t));
  h->start = start;
  h->size = size;
  return (void *)(uintptr_t)user;
}

void *sdk_alloc(size_t size, size_t align) {
  if (align < 16) align = 16;
  if (align & (align - 1)) fail(EXIT_WRONG, "sdk_alloc: alignment %lu is not a power of two", (unsigned long)align);
  spin_lock(&heap_lock);
  for (block_t **pp = &free_list; *pp; pp = &(*pp)->next) {
    block_t *b = *pp;
    uint64_t start = (uint64_t)(uintptr_t)b, user = align_up(start + sizeof(header_t), align);
    if (user + size <= start + b->size) {
      *pp = b->next;
      spin_unlock(&heap_lock);
      return take(start, b->size, user);
    }
  }
  for (unsigned i = 0; i < nranges; i++) {
    range_t *r = &ranges[i];
    uint64_t user = align_up(r->next + sizeof(header_t), align);
    uint64_t end = align_up(user + size, 64);
    if (end <= r->end && end > user) {
      uint64_t start = r->next;
      r->next = end;
      spin_unlock(&heap_lock);
      return take(start, end - start, user);
    }
  }
  spin_unlock(&heap_lock);
  fail(EXIT_NOMEM, "out of memory: wanted %lu bytes, %lu never allocated (RAM %lu); give the machine more memory (unum run --mem) or use a smaller size=",
       (unsigned long)size, (unsigned long)sdk_heap_free(), (unsigned long)mem_size());
}

void sdk_free(void *p) {
  if (!p) return;
  header_t *h = (header_t *)p - 1;
  block_t *b = (block_t *)(uintptr_t)h->start;
  uint64_t size = h->size;
  spin_lock(&heap_lock);
  b->size = size;
  b->next = free_list;
  free_list = b;
  spin_unlock(&heap_lock);
}

uint64_t sdk_heap_free(void) {
  uint64_t total = 0;
  for (unsigned i = 0; i < nranges; i++) total += ranges[i].end - ranges[i].next;
  return total;
}
