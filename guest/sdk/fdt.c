#include "fdt.h"

enum { FDT_MAGIC = 0xd00dfeed, TOK_BEGIN = 1, TOK_END = 2, TOK_PROP = 3, TOK_NOP = 4, TOK_DONE = 9 };

uint32_t fdt_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

uint64_t fdt_cells(const uint8_t *p, uint32_t cells) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < cells; i++) v = (v << 32) | fdt_be32(p + 4 * i);
  return v;
}

uint32_t fdt_totalsize(const void *fdt) { return fdt_be32((const uint8_t *)fdt + 4); }

static uint32_t align4(uint32_t x) { return (x + 3) & ~3u; }

int fdt_scan(const void *fdt, const fdt_visitor *v, void *ctx) {
  const uint8_t *b = fdt;
  if (!b || fdt_be32(b) != FDT_MAGIC) return -1;
  uint32_t total = fdt_be32(b + 4), off_struct = fdt_be32(b + 8), off_strings = fdt_be32(b + 12);
  uint32_t size_strings = fdt_be32(b + 32), size_struct = fdt_be32(b + 36);
  if (off_struct + size_struct > total || off_strings + size_strings > total) return -1;
  const uint8_t *s = b + off_struct;
  const char *strings = (const char *)b + off_strings;
  uint32_t pos = 0;
  int depth = -1;
  while (pos + 4 <= size_struct) {
    uint32_t tok = fdt_be32(s + pos);
    pos += 4;
    switch (tok) {
    case TOK_BEGIN: {
      const char *name = (const char *)s + pos;
      uint32_t n = 0;
      while (pos + n < size_struct && name[n]) n++;
      if (pos + n >= size_struct) return -1;
      pos += align4(n + 1);
      depth++;
      if (v->begin) v->begin(ctx, depth, name);
      break;
    }
    case TOK_END:
      if (depth < 0) return -1;
      if (v->end) v->end(ctx, depth);
      depth--;
      break;
    case TOK_PROP: {
      if (pos + 8 > size_struct) return -1;
      uint32_t len = fdt_be32(s + pos), nameoff = fdt_be32(s + pos + 4);
      pos += 8;
      if (pos + len > size_struct || nameoff >= size_strings || depth < 0) return -1;
      if (v->prop) v->prop(ctx, depth, strings + nameoff, s + pos, len);
      pos += align4(len);
      break;
    }
    case TOK_NOP:
      break;
    case TOK_DONE:
      return depth == -1 ? 0 : -1;
    default:
      return -1;
    }
  }
  return -1;
}
