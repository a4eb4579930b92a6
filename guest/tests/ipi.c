/* t-ipi: interrupts between harts through the CLINT.
 * (1) hart 0 sends a software interrupt (msip) to hart 2 first, then to every
 *     other hart, rounds= times each; the target takes the machine software
 *     interrupt (mcause 0x8000000000000003), acknowledges it by clearing its
 *     msip (then mip.MSIP must read 0) and sends one back to hart 0.
 * (2) every hart except 0 arms its own timer (mtimecmp = now + 1 ms) and takes
 *     the machine timer interrupt (mcause 0x8000000000000007) no earlier.
 * (3) hart 0 arms the timer of every other hart; that hart takes it.
 * Each hart runs its own trap handler here (the SDK's treats traps as fatal).
 * Per-hart records live on their own pages. Needs 2+ harts. */
#include "tcommon.h"
#include "clint.h"

#define CAUSE_MSI ((1ULL << 63) | 3)
#define CAUSE_MTI ((1ULL << 63) | 7)
#define MIP_MSIP (1UL << 3)
#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define MSTATUS_MIE (1UL << 3)
#define WAIT_S 30

typedef struct {
  volatile uint64_t msi, mti, bad_cause, early, msip_stuck, deadline;
} __attribute__((aligned(SDK_PAGE))) record_t;
static record_t rec[SDK_MAX_HARTS];
static page_u64 go, armed, phase_done[SDK_MAX_HARTS];
static barrier_t bar __attribute__((aligned(SDK_PAGE)));

/* Saves the caller-saved registers the interrupted code may hold, calls
 * ipi_trap(mcause) and returns with mret. */
__asm__(".text\n.balign 4\n.globl t_trap_entry\nt_trap_entry:\n"
        "addi sp, sp, -128\n"
        "sd ra, 0(sp)\n sd t0, 8(sp)\n sd t1, 16(sp)\n sd t2, 24(sp)\n sd a0, 32(sp)\n sd a1, 40(sp)\n"
        "sd a2, 48(sp)\n sd a3, 56(sp)\n sd a4, 64(sp)\n sd a5, 72(sp)\n sd a6, 80(sp)\n sd a7, 88(sp)\n"
        "sd t3, 96(sp)\n sd t4, 104(sp)\n sd t5, 112(sp)\n sd t6, 120(sp)\n"
        "csrr a0, mcause\n call ipi_trap\n"
        "ld ra, 0(sp)\n ld t0, 8(sp)\n ld t1, 16(sp)\n ld t2, 24(sp)\n ld a0, 32(sp)\n ld a1, 40(sp)\n"
        "ld a2, 48(sp)\n ld a3, 56(sp)\n ld a4, 64(sp)\n ld a5, 72(sp)\n ld a6, 80(sp)\n ld a7, 88(sp)\n"
        "ld t3, 96(sp)\n ld t4, 104(sp)\n ld t5, 112(sp)\n ld t6, 120(sp)\n"
        "addi sp, sp, 128\n mret\n");
void t_trap_entry(void);
void ipi_trap(uint64_t cause);

void ipi_trap(uint64_t cause) {
  unsigned h = hart_id();
  record_t *r = &rec[hart_index()];
  if (cause == CAUSE_MSI) {
    *clint_msip(h) = 0;                           /* acknowledge */
    fence_io();
    uint64_t mip;
    __asm__ volatile("csrr %0, mip" : "=r"(mip));
    if (mip & MIP_MSIP) r->msip_stuck++;
    __atomic_fetch_add(&r->msi, 1, __ATOMIC_RELEASE);
  } else if (cause == CAUSE_MTI) {
    if (mtime() < r->deadline) r->early++;
    *clint_mtimecmp(h) = UINT64_MAX;              /* clears mip.MTIP */
    fence_io();
    __atomic_fetch_add(&r->mti, 1, __ATOMIC_RELEASE);
  } else {
    r->bad_cause = cause;
    fail(EXIT_TRAP, "t-ipi: hart %u took trap cause 0x%lx", h, (unsigned long)cause);
  }
}

static void need(bool ok, const char *what, unsigned tid) {
  if (!ok) fail(EXIT_WRONG, "t-ipi: thread %u: %s did not happen within %u s", tid, what, WAIT_S);
}

static void wait_local(volatile uint64_t *counter, uint64_t want, const char *what, unsigned tid) {
  uint64_t end = mtime() + wait_ticks(WAIT_S);
  while (load_acq(counter) < want) {
    need(mtime() < end, what, tid);
    WFI_UNLESS(IRQ_M, load_acq(counter) >= want);
  }
}

static void send_ipi(unsigned index) {
  fence_io();
  *clint_msip(hart_id_of(index)) = 1;
}

static void body(unsigned tid, unsigned n, void *arg) {
  uint64_t rounds = *(uint64_t *)arg;
  unsigned me = hart_id();
  record_t *r = &rec[tid];
  uint64_t old_mtvec, tick = timebase_hz() / 1000 ? timebase_hz() / 1000 : 1;
  if (tid == 0) { fence_io(); store_rel(&go.v, 1); }   /* par_run's msip writes are done */
  need(wait_ge(&go.v, 1, WAIT_S), "start", tid);
  *clint_msip(me) = 0;                         /* the SDK's wake-up msip may still be pending */
  *clint_mtimecmp(me) = UINT64_MAX;
  fence_io();
  __asm__ volatile("csrrw %0, mtvec, %1" : "=r"(old_mtvec) : "r"(t_trap_entry));
  __asm__ volatile("csrs mie, %0" ::"r"(MIE_MSIE | MIE_MTIE));
  __asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE));
  __atomic_fetch_add(&armed.v, 1, __ATOMIC_ACQ_REL);
  need(wait_ge(&armed.v, n, WAIT_S), "every hart arming", tid);

  /* (1) software interrupts: hart 2 first, then 1, 3, 4, ... */
  if (tid == 0) {
    for (uint64_t k = 0; k < rounds; k++)
      for (unsigned i = 0; i + 1 < n; i++) {
        unsigned t = n > 2 ? (i == 0 ? 2 : i == 1 ? 1 : i + 1) : 1;
        send_ipi(t);
        wait_local(&r->msi, k * (n - 1) + i + 1, "IPI back to hart 0", tid);
        need(rec[t].msi == k + 1, "target's IPI count", t);
      }
  } else {
    for (uint64_t k = 0; k < rounds; k++) {
      wait_local(&r->msi, k + 1, "IPI from hart 0", tid);
      send_ipi(0);
    }
  }
  barrier_wait(&bar);

  /* (2) each hart but 0 arms its own timer */
  if (tid != 0) {
    r->deadline = mtime() + tick;
    fence_rw();
    *clint_mtimecmp(me) = r->deadline;
    wait_local(&r->mti, 1, "self-armed timer interrupt", tid);
  }
  barrier_wait(&bar);

  /* (3) hart 0 arms the others' timers */
  if (tid == 0) {
    for (unsigned t = 1; t < n; t++) {
      rec[t].deadline = mtime() + tick;
      fence_io();
      *clint_mtimecmp(hart_id_of(t)) = rec[t].deadline;
    }
  } else {
    wait_local(&r->mti, 2, "timer interrupt armed by hart 0", tid);
  }
  barrier_wait(&bar);
  __asm__ volatile("csrc mstatus, %0" ::"r"(MSTATUS_MIE));
  __asm__ volatile("csrc mie, %0" ::"r"(MIE_MTIE));
  __asm__ volatile("csrw mtvec, %0" ::"r"(old_mtvec));
  store_rel(&phase_done[tid].v, 1);
}

int main(void) {
  uint64_t rounds = arg_u64("rounds", 3);
  unsigned n = arg_threads();
  args_done();
  if (n < 2) fail(EXIT_BADARG, "t-ipi needs 2+ threads (has %u)", n);
  barrier_init(&bar, n);
  span_t span = {0};
  span_begin(&span);
  par_run(n, body, &rounds);
  span_end(&span);
  bool ok = true;
  uint64_t h = mix64(rounds);
  for (unsigned t = 0; t < n; t++) {
    record_t *r = &rec[t];
    uint64_t want_msi = t == 0 ? rounds * (n - 1) : rounds, want_mti = t == 0 ? 0 : 2;
    bool good = r->msi == want_msi && r->mti == want_mti && !r->early && !r->msip_stuck && !r->bad_cause && phase_done[t].v;
    printf("t-ipi: hart %u msi=%lu mti=%lu early=%lu msip_stuck=%lu %s\n", hart_id_of(t), (unsigned long)r->msi,
           (unsigned long)r->mti, (unsigned long)r->early, (unsigned long)r->msip_stuck, good ? "ok" : "WRONG");
    ok &= good;
    h = mix64(h ^ (r->msi == want_msi) ^ (r->mti == want_mti) << 1);
  }
  result_line("t-ipi", ok, "harts=%u rounds=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              n, (unsigned long)rounds, (unsigned long)h, (unsigned long)span.ticks, (unsigned long)span.instret);
  return ok ? EXIT_OK : EXIT_WRONG;
}
