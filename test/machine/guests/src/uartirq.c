/* Receives UART input through the PLIC (IRQ 10, hart 0 M-mode context)
 * and echoes it until '.', then reports how many interrupts it took. */
#include "rt.h"

static volatile int irqs, stop;

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) {
  if (cause != ((1ull << 63) | 11)) finish(96);
  uint32_t src = *PLIC_CLAIM(0);
  if (src == 10) {
    irqs++;
    while (UART[5] & 1) {
      char c = (char)UART[0];
      if (c == '.') stop = 1;
      else putc_(c);
    }
  }
  *PLIC_CLAIM(0) = src;
  return epc;
}

int main(uintptr_t hartid) {
  if (hartid != 0) for (;;) __asm__ volatile("wfi");
  puts_("uartirq ready\n"); /* before interrupts: input may already be waiting */
  *PLIC_PRIORITY(10) = 1;
  *PLIC_THRESHOLD(0) = 0;
  *PLIC_ENABLE(0) = 1u << 10;
  UART[1] = 1; /* IER: RX data available */
  __asm__ volatile("csrs mie, %0" ::"r"(1 << 11));
  __asm__ volatile("csrs mstatus, %0" ::"r"(1 << 3));
  while (!stop) __asm__ volatile("wfi");
  puts_("\nirq-driven rx done: ");
  putu(irqs > 0);
  puts_("\n");
  return 0;
}
