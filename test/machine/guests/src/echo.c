/* Echoes UART input in upper case until it reads 'q' (polled RX). */
#include "rt.h"

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) { (void)cause; finish(99); return epc; }

int main(uintptr_t hartid) {
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  puts_("echo ready\n");
  uint64_t n = 0;
  for (;;) {
    int c = getc_();
    if (c == 'q') break;
    if (c >= 'a' && c <= 'z') c -= 32;
    putc_((char)c);
    n++;
  }
  puts_("\nechoed ");
  putu(n);
  puts_(" bytes\n");
  return 0;
}
