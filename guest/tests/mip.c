/* t-mip: the mip rule. A read of mip shows the PLIC's external interrupt
 * signal in SEIP, but CSRRS/CSRRC/CSRRW modify only the software-writable
 * SEIP bit, so a read-modify-write done while the signal is high must not
 * latch it. The UART's THR-empty interrupt (IER bit 1) drives PLIC source 10
 * into this hart's S-mode context; M-mode does the RMWs, drops the line and
 * checks that SEIP drops with it. Runs the same on QEMU and on unum. */
#include "tcommon.h"

#define PLIC 0x0C000000UL
#define UART_BASE 0x10000000UL
#define UART_IRQ 10
#define SSIP (1ul << 1)
#define SEIP (1ul << 9)
#define S_BITS 0x222ul

static volatile uint32_t *reg32(uintptr_t a) { return (volatile uint32_t *)a; }
static volatile uint8_t *uart_ier(void) { return (volatile uint8_t *)(UART_BASE + 1); }

static uint64_t mip_s(void) {
  uint64_t v;
  __asm__ volatile("csrr %0, mip" : "=r"(v));
  return v & S_BITS;
}

/* Waits (1 s of mtime at most) until mip's SEIP equals `want`. */
static bool wait_seip(uint64_t want) {
  uint64_t end = mtime() + wait_ticks(1);
  while ((mip_s() & SEIP) != want)
    if (mtime() > end) return false;
  return true;
}

static void plic_s_context(unsigned ctx, bool on) {
  *reg32(PLIC + 4 * UART_IRQ) = 1;                     /* priority */
  *reg32(PLIC + 0x2000 + 0x80 * ctx) = on ? 1u << UART_IRQ : 0; /* enable */
  *reg32(PLIC + 0x200000 + 0x1000 * ctx) = on ? 0 : 7; /* threshold (QEMU 7.2 re-evaluates on this write, not on enable) */
  fence_io();
}

/* Claim and complete whatever the context has pending: QEMU 7.2's PLIC keeps
 * a source pending after its line drops until it is claimed. */
static void plic_drain(unsigned ctx) {
  volatile uint32_t *claim = reg32(PLIC + 0x200004 + 0x1000 * ctx);
  uint32_t src = *claim;
  if (src) *claim = src;
  fence_io();
}

int main(void) {
  args_done();
  unsigned ctx = 2 * hart_id() + 1;                    /* this hart's S-mode context */
  span_t span = {0};
  span_begin(&span);
  plic_s_context(ctx, true);
  *uart_ier() = 0x02;                                  /* THR empty: the line goes high */
  fence_io();
  if (!wait_seip(SEIP)) fail(EXIT_WRONG, "t-mip: SEIP never rose (mip=0x%lx)\n", (unsigned long)mip_s());
  uint64_t rose = mip_s();

  volatile uint64_t ssip = SSIP, none = 0;
  uint64_t s = ssip, z = none, old;
  __asm__ volatile("csrs mip, %0" ::"r"(s));          /* RMW sees SEIP: must not latch it */
  __asm__ volatile("csrc mip, %0" ::"r"(z));          /* a write of the same bits */
  __asm__ volatile("csrs mip, %0" ::"r"(z));
  __asm__ volatile("csrrw %0, mip, %1" : "=r"(old) : "r"(s)); /* writes SSIP only */
  __asm__ volatile("csrci mip, 2");                   /* clear SSIP again (an RMW too) */
  old &= S_BITS;

  *uart_ier() = 0;                                     /* drop the line */
  fence_io();
  plic_drain(ctx);
  plic_s_context(ctx, false);
  bool dropped = wait_seip(0);
  uint64_t after = mip_s();

  uint64_t seip = SEIP;
  __asm__ volatile("csrs mip, %0" ::"r"(seip));       /* the software bit alone */
  uint64_t soft = mip_s();
  __asm__ volatile("csrc mip, %0" ::"r"(seip));
  uint64_t cleared = mip_s();

  span_end(&span);
  bool ok = rose == SEIP && old == (SEIP | SSIP) && dropped && after == 0 && soft == SEIP && cleared == 0;
  uint64_t h = mix64(rose ^ mix64(old ^ mix64(after ^ mix64(soft ^ mix64(cleared)))));
  result_line("t-mip", ok, "harts=1 rose=0x%lx rmw_old=0x%lx after_drop=0x%lx soft=0x%lx cleared=0x%lx checksum=0x%016lx ticks=%lu instret=%lu",
              (unsigned long)rose, (unsigned long)old, (unsigned long)after, (unsigned long)soft,
              (unsigned long)cleared, (unsigned long)h, (unsigned long)span.ticks, (unsigned long)span.instret);
  return ok ? EXIT_OK : EXIT_WRONG;
}
