/* Tiny runtime for unum machine-test guests (QEMU virt, M-mode, no FPU). */
#ifndef RT_H
#define RT_H
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000)
#define FINISHER ((volatile uint32_t *)0x100000)
#define CLINT_MSIP(h) ((volatile uint32_t *)(0x2000000 + 4 * (h)))
#define CLINT_MTIMECMP(h) ((volatile uint64_t *)(0x2004000 + 8 * (h)))
#define CLINT_MTIME ((volatile uint64_t *)0x200bff8)
#define PLIC_PRIORITY(s) ((volatile uint32_t *)(0xc000000 + 4 * (s)))
#define PLIC_ENABLE(c) ((volatile uint32_t *)(0xc002000 + 0x80 * (c)))
#define PLIC_THRESHOLD(c) ((volatile uint32_t *)(0xc200000 + 0x1000 * (c)))
#define PLIC_CLAIM(c) ((volatile uint32_t *)(0xc200004 + 0x1000 * (c)))

void putc_(char c);
void puts_(const char *s);
void putu(uint64_t v);
int getc_(void);                       /* blocks until a byte arrives */
void finish(int code) __attribute__((noreturn)); /* 0 = pass, else fail(code) */
int fdt_cpu_count(const void *fdt);
void lock(volatile int *l);
void unlock(volatile int *l);
/* Provided by each test; returns the new mepc. */
uintptr_t trap_handler(uintptr_t cause, uintptr_t epc);

static inline uintptr_t csr_read_mip(void) { uintptr_t v; __asm__ volatile("csrr %0, mip" : "=r"(v)); return v; }
#endif
