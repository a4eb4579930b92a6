/* CLINT registers of any hart, for programs that take interrupts themselves
 * (the SDK's own trap handler treats every trap as fatal).
 * Header only: nothing is added to programs that don't include it. */
#ifndef UNUM_CLINT_H
#define UNUM_CLINT_H
#include "unum.h"

/* From the device tree (QEMU virt has one CLINT per socket); see platform.c. */
volatile uint32_t *platform_msip(unsigned hartid);

static inline volatile uint32_t *clint_msip(unsigned hartid) { return platform_msip(hartid); }

/* A CLINT is a 64 KiB-aligned block: msip[k] at +4k, mtimecmp[k] at +0x4000 + 8k
 * for its k-th hart, so the hart's mtimecmp follows from its msip address. */
static inline volatile uint64_t *clint_mtimecmp(unsigned hartid) {
  uintptr_t msip = (uintptr_t)platform_msip(hartid);
  uintptr_t base = msip & ~(uintptr_t)0xFFFF, k = (msip - base) / 4;
  return (volatile uint64_t *)(base + 0x4000 + 8 * k);
}
#endif
