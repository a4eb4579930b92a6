/* Small vsnprintf: %d %i %u %x %X %p %s %c %%, flags '-' '0', width,
 * precision for %s, length modifiers l ll z. No floating point. */
#include "unum.h"

typedef struct { char *buf; size_t size, len; } out_t;

static void put(out_t *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void put_padded(out_t *o, const char *s, size_t n, int width, bool left, char pad) {
  int fill = width > (int)n ? width - (int)n : 0;
  if (!left && pad == '0' && n > 0 && s[0] == '-') { put(o, '-'); s++; n--; }
  if (!left) while (fill-- > 0) put(o, pad);
  for (size_t i = 0; i < n; i++) put(o, s[i]);
  if (left) while (fill-- > 0) put(o, ' ');
}

static size_t utoa(char *end, unsigned long long v, unsigned base, bool upper) {
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  size_t n = 0;
  do { *--end = digits[v % base]; v /= base; n++; } while (v);
  return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  out_t o = {buf, size, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') { put(&o, *fmt); continue; }
    fmt++;
    bool left = false;
    char pad = ' ';
    for (;; fmt++) {
      if (*fmt == '-') left = true;
      else if (*fmt == '0') pad = '0';
      else break;
    }
    int width = 0, prec = -1;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    if (*fmt == '.') {
      fmt++;
      prec = 0;
      while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0');
    }
    int lng = 0;
    while (*fmt == 'l' || *fmt == 'z') { lng++; fmt++; }
    char tmp[24], *end = tmp + sizeof tmp;
    switch (*fmt) {
    case 'd': case 'i': {
      long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
      unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
      size_t n = utoa(end, u, 10, false);
      if (v < 0) { *(end - n - 1) = '-'; n++; }
      put_padded(&o, end - n, n, width, left, pad);
      break;
    }
    case 'u': case 'x': case 'X': {
      unsigned long long v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
      size_t n = utoa(end, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
      put_padded(&o, end - n, n, width, left, pad);
      break;
    }
    case 'p': {
      size_t n = utoa(end, (uintptr_t)va_arg(ap, void *), 16, false);
      *(end - n - 1) = 'x';
      *(end - n - 2) = '0';
      put_padded(&o, end - n - 2, n + 2, width, left, ' ');
      break;
    }
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (!s) s = "(null)";
      size_t n = 0;
      while (s[n] && (prec < 0 || n < (size_t)prec)) n++;
      put_padded(&o, s, n, width, left, ' ');
      break;
    }
    case 'c': {
      char c = (char)va_arg(ap, int);
      put_padded(&o, &c, 1, width, left, ' ');
      break;
    }
    case '%': put(&o, '%'); break;
    case 0: fmt--; break;
    default: put(&o, '%'); put(&o, *fmt); break;
    }
  }
  if (size) buf[o.len < size ? o.len : size - 1] = 0;
  return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
