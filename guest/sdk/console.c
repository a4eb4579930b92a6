/* ns16550a console: polled output under a lock so lines from different harts stay whole. */
#include "internal.h"

#define UART ((volatile uint8_t *)0x10000000UL)
#define UART_RBR 0
#define UART_THR 0
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static spinlock_t console = SPINLOCK_INIT;

void uart_putc(char c) {
  while (!(UART[UART_LSR] & LSR_THRE)) cpu_relax();
  UART[UART_THR] = (uint8_t)c;
}

int uart_getc(void) {
  while (!(UART[UART_LSR] & LSR_DR)) cpu_relax();
  return UART[UART_RBR];
}

void console_lock(void) { spin_lock(&console); }
void console_unlock(void) { spin_unlock(&console); }
bool console_trylock(void) { return spin_trylock(&console); }

void console_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) uart_putc(s[i]);
}

static int vprint_locked(const char *fmt, va_list ap) {
  char buf[512];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  size_t len = n < 0 ? 0 : ((size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
  console_lock();
  console_write(buf, len);
  console_unlock();
  return n;
}

int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprint_locked(fmt, ap);
  va_end(ap);
  return n;
}

_Noreturn void fail(int code, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  printf("error: %s\n", buf);
  sdk_exit(code);
}

void result_line(const char *name, bool ok, const char *fields, ...) {
  char buf[400];
  va_list ap;
  va_start(ap, fields);
  vsnprintf(buf, sizeof buf, fields, ap);
  va_end(ap);
  printf("RESULT name=%s %s tbfreq=%lu verify=%s\n", name, buf, (unsigned long)timebase_hz(),
         ok ? "ok" : "fail");
}
