/* Console and exit on stdio: printf/snprintf are glibc's (same output as the
 * SDK's for the formats programs use); exit codes are the process's. */
#include <stdio.h>
#include <stdlib.h>
#include "unum.h"

void uart_putc(char c) { putchar(c); }
int uart_getc(void) { fflush(stdout); return getchar(); }

_Noreturn void sdk_exit(int code) {
  exit(code < 0 || code > 255 ? 255 : code);   /* flushes stdout */
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
