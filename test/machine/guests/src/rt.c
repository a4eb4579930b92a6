#include "rt.h"

static volatile int print_lock;

void putc_(char c) {
  while ((UART[5] & 0x20) == 0) {}
  UART[0] = (uint8_t)c;
}

void puts_(const char *s) {
  lock(&print_lock);
  while (*s) putc_(*s++);
  unlock(&print_lock);
}

void putu(uint64_t v) {
  char buf[24];
  int i = 0;
  do { buf[i++] = (char)('0' + v % 10); v /= 10; } while (v);
  lock(&print_lock);
  while (i) putc_(buf[--i]);
  unlock(&print_lock);
}

int getc_(void) {
  while ((UART[5] & 1) == 0) {}
  return UART[0];
}

void finish(int code) {
  *FINISHER = code == 0 ? 0x5555 : ((uint32_t)code << 16) | 0x3333;
  for (;;) {}
}

void lock(volatile int *l) {
  while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE)) {
    while (*l) {}
  }
}

void unlock(volatile int *l) { __atomic_store_n(l, 0, __ATOMIC_RELEASE); }

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Count /cpus/cpu@N nodes by walking the FDT struct block. */
int fdt_cpu_count(const void *fdt) {
  const uint8_t *b = fdt;
  if (be32(b) != 0xd00dfeed) return 1;
  const uint8_t *p = b + be32(b + 8);
  int depth = 0, in_cpus = 0, count = 0;
  for (;;) {
    uint32_t tok = be32(p);
    p += 4;
    if (tok == 1) {
      const char *name = (const char *)p;
      int n = 0;
      while (name[n]) n++;
      depth++;
      if (depth == 2 && name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && name[3] == 's' && name[4] == 0) in_cpus = 1;
      if (in_cpus && depth == 3 && name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && name[3] == '@') count++;
      p += (n + 4) & ~3;
    } else if (tok == 2) {
      if (depth == 2) in_cpus = 0;
      depth--;
    } else if (tok == 3) {
      uint32_t len = be32(p);
      p += 8 + ((len + 3) & ~3u);
    } else if (tok == 4) {
      continue;
    } else {
      break;
    }
  }
  return count ? count : 1;
}
