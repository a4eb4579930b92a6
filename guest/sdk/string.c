/* The few libc routines GCC may emit calls to (built with
 * -fno-tree-loop-distribute-patterns so these loops don't call themselves). */
#include "unum.h"

void *memset(void *d, int c, size_t n) {
  uint8_t *p = d;
  while (n && ((uintptr_t)p & 7)) { *p++ = (uint8_t)c; n--; }
  uint64_t w = 0x0101010101010101ULL * (uint8_t)c;
  for (; n >= 8; n -= 8, p += 8) *(uint64_t *)p = w;
  while (n--) *p++ = (uint8_t)c;
  return d;
}

void *memcpy(void *d, const void *s, size_t n) {
  uint8_t *dp = d;
  const uint8_t *sp = s;
  if ((((uintptr_t)dp | (uintptr_t)sp) & 7) == 0)
    for (; n >= 8; n -= 8, dp += 8, sp += 8) *(uint64_t *)dp = *(const uint64_t *)sp;
  while (n--) *dp++ = *sp++;
  return d;
}

void *memmove(void *d, const void *s, size_t n) {
  uint8_t *dp = d;
  const uint8_t *sp = s;
  if (dp <= sp || dp >= sp + n) return memcpy(d, s, n);
  while (n--) dp[n] = sp[n];
  return d;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (size_t i = 0; i < n; i++) if (x[i] != y[i]) return x[i] - y[i];
  return 0;
}

size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b || !*a) return (uint8_t)*a - (uint8_t)*b;
  }
  return 0;
}
