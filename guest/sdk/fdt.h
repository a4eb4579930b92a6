/* Minimal flattened-device-tree reader: one pass over the structure block. */
#ifndef SDK_FDT_H
#define SDK_FDT_H
#include <stdint.h>

typedef struct {
  void (*begin)(void *ctx, int depth, const char *name);
  void (*prop)(void *ctx, int depth, const char *name, const uint8_t *val, uint32_t len);
  void (*end)(void *ctx, int depth);
} fdt_visitor;

/* 0 on success, -1 if the blob is not a valid FDT (bad magic, token or bounds). */
int fdt_scan(const void *fdt, const fdt_visitor *v, void *ctx);
uint32_t fdt_totalsize(const void *fdt);
uint32_t fdt_be32(const uint8_t *p);
/* Reads `cells` big-endian 32-bit cells (1 or 2) as one number. */
uint64_t fdt_cells(const uint8_t *p, uint32_t cells);
#endif
