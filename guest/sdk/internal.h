/* SDK-internal interfaces between the runtime's files. */
#ifndef SDK_INTERNAL_H
#define SDK_INTERNAL_H
#include "unum.h"

/* One RAM range per NUMA node (unum presents one per node agent): as many as harts. */
#define SDK_MAX_MEM SDK_MAX_HARTS
typedef struct { uint64_t base, size; unsigned node; } mem_range;

/* Parses the FDT into the platform tables; returns an error text or NULL. */
const char *platform_init(const void *fdt);
unsigned platform_mem_ranges(const mem_range **out);
int platform_index_of(unsigned hartid);
volatile uint32_t *platform_msip(unsigned hartid); /* CLINT software-interrupt register */          /* -1 if the hart is not usable */
void heap_init(uint64_t fdt_addr, uint64_t fdt_size);
void console_lock(void);
bool console_trylock(void);
void console_unlock(void);
void console_write(const char *s, size_t n);     /* caller holds the lock */
#endif
