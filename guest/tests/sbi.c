/* t-sbi: the built-in SBI (the hypervisor answers S-mode ecalls, as KVM
 * does; `sbi: 'builtin'` with only hart 0 started). Hart 0 starts in M-mode
 * like every `-bios none` guest, delegates the S interrupts and drops to
 * S-mode with mret, then checks:
 *   BASE   spec version 2.0, impl id, probe_extension, mvendorid
 *   DBCN   console_write from guest-physical memory, console_write_byte
 *   TIME   set_timer: STIP clear before the deadline, taken after it
 *   IPI    send_ipi to itself (SSIP) and to hart 1, and back
 *   HSM    hart 1 stopped at boot, hart_start(1, entry, opaque): it enters
 *          S-mode with a0 = 1, a1 = opaque; status; start again = -6;
 *          hart_stop; hart_suspend (retentive) until a timer interrupt
 *   RFENCE remote_fence_i makes hart 1 see code hart 0 rewrote; sfence.vma
 *   SRST   shutdown ends the run with status 0
 * bench=N (default 0: off) also times N IPI round trips to hart 1 (it
 * answers each with one), N remote_fence_i and N hart_get_status of hart 1
 * and prints one `bench:` line (docs/sbi.md; hart 1 on another node measures
 * the cross-node path).
 * Needs 2+ harts. Under QEMU with OpenSBI it would also pass from S-mode,
 * but this file is written for `-bios none` + the built-in SBI. */
#include "tcommon.h"

#define EXT_BASE 0x10
#define EXT_TIME 0x54494D45
#define EXT_IPI 0x735049
#define EXT_RFENCE 0x52464E43
#define EXT_HSM 0x48534D
#define EXT_SRST 0x53525354
#define EXT_DBCN 0x4442434E
#define SIP_SSIP (1UL << 1)
#define SIP_STIP (1UL << 5)
#define SSTATUS_SIE (1UL << 1)
#define CAUSE_SSI ((1UL << 63) | 1)
#define CAUSE_STI ((1UL << 63) | 5)
#define WAIT_S 20

struct sbiret { long error; long value; };

static struct sbiret sbi(long ext, long fid, long a0, long a1, long a2, long a3, long a4) {
  register long r0 __asm__("a0") = a0;
  register long r1 __asm__("a1") = a1;
  register long r2 __asm__("a2") = a2;
  register long r3 __asm__("a3") = a3;
  register long r4 __asm__("a4") = a4;
  register long r6 __asm__("a6") = fid;
  register long r7 __asm__("a7") = ext;
  __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7) : "memory");
  return (struct sbiret){r0, r1};
}

static uint64_t rdtime(void) { uint64_t t; __asm__ volatile("rdtime %0" : "=r"(t)); return t; }
static uint64_t ms_ticks(uint64_t ms) { return ms * (timebase_hz() ? timebase_hz() : 10000000) / 1000; }

typedef struct { volatile uint64_t ssi, sti, bad, early, deadline; } __attribute__((aligned(SDK_PAGE))) srec_t;
static srec_t rec[2];
static page_u64 h1_up, h1_a0, h1_a1, h1_cmd, h1_ack, h1_result;
static page_u64 h1_sstatus;
/* Code hart 1 runs from RAM (own page): li a0, N; ret. Hart 0 rewrites N. */
static volatile uint32_t code[SDK_PAGE / 4] __attribute__((aligned(SDK_PAGE))) = {0x00100513, 0x00008067};
static const char hello[] = "dbcn: console_write from S-mode\n";
static unsigned failures;
static uint64_t bench_rounds;

static void check(bool ok, const char *what) {
  printf("%s: %s\n", what, ok ? "ok" : "WRONG");
  if (!ok) failures++;
}

/* S-mode trap entry: caller-saved registers, s_trap(scause), sret. */
__asm__(".text\n.balign 4\n.globl s_trap_entry\ns_trap_entry:\n"
        "addi sp, sp, -128\n"
        "sd ra, 0(sp)\n sd t0, 8(sp)\n sd t1, 16(sp)\n sd t2, 24(sp)\n sd a0, 32(sp)\n sd a1, 40(sp)\n"
        "sd a2, 48(sp)\n sd a3, 56(sp)\n sd a4, 64(sp)\n sd a5, 72(sp)\n sd a6, 80(sp)\n sd a7, 88(sp)\n"
        "sd t3, 96(sp)\n sd t4, 104(sp)\n sd t5, 112(sp)\n sd t6, 120(sp)\n"
        "csrr a0, scause\n call s_trap\n"
        "ld ra, 0(sp)\n ld t0, 8(sp)\n ld t1, 16(sp)\n ld t2, 24(sp)\n ld a0, 32(sp)\n ld a1, 40(sp)\n"
        "ld a2, 48(sp)\n ld a3, 56(sp)\n ld a4, 64(sp)\n ld a5, 72(sp)\n ld a6, 80(sp)\n ld a7, 88(sp)\n"
        "ld t3, 96(sp)\n ld t4, 104(sp)\n ld t5, 112(sp)\n ld t6, 120(sp)\n"
        "addi sp, sp, 128\n sret\n");
void s_trap_entry(void);
void s_trap(uint64_t cause);

void s_trap(uint64_t cause) {
  srec_t *r = &rec[hart_id() & 1];
  if (cause == CAUSE_SSI) {
    __asm__ volatile("csrc sip, %0" ::"r"(SIP_SSIP));
    __atomic_fetch_add(&r->ssi, 1, __ATOMIC_RELEASE);
  } else if (cause == CAUSE_STI) {
    if (rdtime() < r->deadline) r->early++;
    sbi(EXT_TIME, 0, -1L, 0, 0, 0, 0); /* far future: clears STIP */
    __atomic_fetch_add(&r->sti, 1, __ATOMIC_RELEASE);
  } else {
    r->bad = cause;
    fail(EXIT_TRAP, "t-sbi: hart %u took S trap cause 0x%lx", hart_id(), (unsigned long)cause);
  }
}

static bool wait_s(volatile uint64_t *p, uint64_t want) {
  uint64_t end = rdtime() + ms_ticks(WAIT_S * 1000);
  while (load_acq(p) < want)
    if (rdtime() > end) return false;
  return true;
}

static long hart_status(long h) { return sbi(EXT_HSM, 2, h, 0, 0, 0, 0).value; }

static bool wait_status(long h, long want) {
  uint64_t end = rdtime() + ms_ticks(WAIT_S * 1000);
  while (hart_status(h) != want)
    if (rdtime() > end) return false;
  return true;
}

/* ---- hart 1: started by hart_start, in S-mode from the first instruction ---- */
__asm__(".text\n.balign 4\n.globl h1_entry\nh1_entry:\n"
        ".option push\n.option norelax\n la gp, __global_pointer$\n.option pop\n"
        "mv tp, a0\n la sp, __stacks_end\n slli t0, a0, 14\n sub sp, sp, t0\n"
        "call h1_main\n"
        "1: j 1b\n");
void h1_entry(void);
void h1_main(unsigned long hartid, unsigned long opaque);

void h1_main(unsigned long hartid, unsigned long opaque) {
  uint64_t sst;
  __asm__ volatile("csrr %0, sstatus" : "=r"(sst)); /* readable: we are in S-mode (or M) */
  h1_sstatus.v = sst;
  h1_a0.v = hartid;
  h1_a1.v = opaque;
  __asm__ volatile("csrw stvec, %0" ::"r"(s_trap_entry));
  __asm__ volatile("csrs sie, %0" ::"r"(SIP_SSIP));
  __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE));
  store_rel(&h1_up.v, 1);
  uint64_t seen = 0;
  for (;;) {
    uint64_t c = load_acq(&h1_cmd.v);
    if (c == seen) { WFI_UNLESS(IRQ_S, load_acq(&h1_cmd.v) != seen); continue; }
    seen = c;
    if (c == 1) { /* wait for hart 0's IPI, answer with one */
      if (!wait_s(&rec[1].ssi, 1)) fail(EXIT_WRONG, "t-sbi: hart 1 got no IPI");
      sbi(EXT_IPI, 0, 1, 0, 0, 0, 0);
    } else if (c == 2 || c == 3) { /* run the code page */
      if (c == 2) __asm__ volatile("fence.i" ::: "memory");
      long (*fn)(void) = (long (*)(void))(uintptr_t)code;
      h1_result.v = (uint64_t)fn();
    } else if (c == 5) { /* bench: answer every IPI with one, until the next command */
      uint64_t answered = load_acq(&rec[1].ssi);
      store_rel(&h1_ack.v, c);
      while (load_acq(&h1_cmd.v) == 5) {
        uint64_t got = load_acq(&rec[1].ssi);
        for (; answered < got; answered++) sbi(EXT_IPI, 0, 1, 0, 0, 0, 0);
      }
    } else if (c == 4) { /* stop: does not return */
      store_rel(&h1_ack.v, c);
      sbi(EXT_HSM, 1, 0, 0, 0, 0, 0);
      fail(EXIT_WRONG, "t-sbi: hart_stop returned");
    }
    store_rel(&h1_ack.v, c);
  }
}

static void h1_do(uint64_t cmd) {
  store_rel(&h1_cmd.v, cmd);
  sbi(EXT_IPI, 0, 2, 0, 0, 0, 0); /* wake it from wfi (counted: hart 1 clears and counts SSIs) */
  if (!wait_s(&h1_ack.v, cmd)) fail(EXIT_WRONG, "t-sbi: hart 1 did not do command %lu", (unsigned long)cmd);
}

/* IPI round trip, remote fence.i and hart_get_status of hart 1, n each (the first pong may come early: a stray wake-up) */
static void bench(uint64_t n) {
  srec_t *me = &rec[0];
  h1_do(5);
  uint64_t mine = load_acq(&me->ssi);
  uint64_t t0 = rdtime();
  for (uint64_t i = 1; i <= n; i++) {
    sbi(EXT_IPI, 0, 2, 0, 0, 0, 0);
    if (!wait_s(&me->ssi, mine + i)) fail(EXIT_WRONG, "t-sbi: bench: no IPI back in round %lu", (unsigned long)i);
  }
  uint64_t t1 = rdtime();
  for (uint64_t i = 0; i < n; i++) sbi(EXT_RFENCE, 0, 2, 0, 0, 0, 0);
  uint64_t t2 = rdtime();
  for (uint64_t i = 0; i < n; i++) hart_status(1);
  uint64_t t3 = rdtime();
  h1_do(6);
  uint64_t per_us = (timebase_hz() ? timebase_hz() : 10000000) / 1000000;
  printf("bench: %lu rounds: ipi round trip %lu us, remote_fence_i %lu us, hart_get_status %lu us\n", (unsigned long)n,
         (unsigned long)((t1 - t0) / n / per_us), (unsigned long)((t2 - t1) / n / per_us), (unsigned long)((t3 - t2) / n / per_us));
}

/* ---- hart 0 in S-mode ---- */
static void s_main(void) {
  struct sbiret r;
  /* BASE */
  r = sbi(EXT_BASE, 0, 0, 0, 0, 0, 0);
  check(r.error == 0 && r.value == 0x02000000, "base: spec version 2.0");
  r = sbi(EXT_BASE, 1, 0, 0, 0, 0, 0);
  check(r.error == 0 && r.value == 0x756e756d, "base: impl id");
  long exts[] = {EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM, EXT_SRST, EXT_DBCN, 0x01};
  bool all = true;
  for (unsigned i = 0; i < sizeof exts / sizeof exts[0]; i++) all &= sbi(EXT_BASE, 3, exts[i], 0, 0, 0, 0).value == 1;
  check(all && sbi(EXT_BASE, 3, 0x12345, 0, 0, 0, 0).value == 0, "base: probe_extension");
  r = sbi(EXT_BASE, 4, 0, 0, 0, 0, 0);
  check(r.error == 0 && r.value == 0, "base: mvendorid");
  check(sbi(0x0A0B0C0D, 0, 0, 0, 0, 0, 0).error == -2, "unknown extension: not supported");

  /* DBCN */
  r = sbi(EXT_DBCN, 0, sizeof hello - 1, (long)(uintptr_t)hello, 0, 0, 0);
  sbi(EXT_DBCN, 2, '!', 0, 0, 0, 0);
  sbi(EXT_DBCN, 2, '\n', 0, 0, 0, 0);
  check(r.error == 0 && r.value == (long)sizeof hello - 1, "dbcn: bytes written");

  /* TIME */
  __asm__ volatile("csrw stvec, %0" ::"r"(s_trap_entry));
  srec_t *me = &rec[0];
  sbi(EXT_TIME, 0, (long)(rdtime() + ms_ticks(60000)), 0, 0, 0, 0);
  uint64_t sip;
  __asm__ volatile("csrr %0, sip" : "=r"(sip));
  bool clear = (sip & SIP_STIP) == 0;
  me->deadline = rdtime() + ms_ticks(2);
  sbi(EXT_TIME, 0, (long)me->deadline, 0, 0, 0, 0);
  __asm__ volatile("csrs sie, %0" ::"r"(SIP_STIP | SIP_SSIP));
  __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE));
  bool fired = wait_s(&me->sti, 1);
  check(clear && fired && me->early == 0, "time: set_timer fires STIP at the deadline");

  /* IPI to self */
  r = sbi(EXT_IPI, 0, 1, 0, 0, 0, 0);
  check(r.error == 0 && wait_s(&me->ssi, 1), "ipi: to self");
  check(sbi(EXT_IPI, 0, 1, 5, 0, 0, 0).error == -3, "ipi: bad hart is invalid param");

  /* HSM: start hart 1 */
  check(hart_status(1) == 1, "hsm: hart 1 stopped at boot");
  r = sbi(EXT_HSM, 0, 1, (long)(uintptr_t)h1_entry, 0x5eed, 0, 0);
  check(r.error == 0 && wait_s(&h1_up.v, 1) && wait_status(1, 0), "hsm: hart_start, hart 1 started");
  check(h1_a0.v == 1 && h1_a1.v == 0x5eed && (h1_sstatus.v & SSTATUS_SIE) == 0, "hsm: a0 = hartid, a1 = opaque, SIE off");
  check(sbi(EXT_HSM, 0, 1, (long)(uintptr_t)h1_entry, 0, 0, 0).error == -6, "hsm: start again is already available");
  check(sbi(EXT_HSM, 0, 5, (long)(uintptr_t)h1_entry, 0, 0, 0).error == -3, "hsm: bad hart id is invalid param");

  /* IPI to hart 1 and back */
  uint64_t mine = me->ssi;
  h1_do(1);
  check(wait_s(&me->ssi, mine + 1), "ipi: to hart 1 and back");

  /* RFENCE: hart 1 runs the code page, hart 0 rewrites it, remote fence.i, hart 1 runs it again */
  h1_do(2);
  bool first = h1_result.v == 1;
  code[0] = 0x00200513; /* li a0, 2 */
  fence_rw();
  r = sbi(EXT_RFENCE, 0, 2, 0, 0, 0, 0);
  h1_do(3); /* no fence.i on hart 1 this time: only the remote one */
  check(first && r.error == 0 && h1_result.v == 2, "rfence: remote_fence_i");
  r = sbi(EXT_RFENCE, 1, 0, -1L, 0, -1L, 0);
  struct sbiret r2 = sbi(EXT_RFENCE, 2, 3, 0, 0, -1L, 0);
  check(r.error == 0 && r2.error == 0, "rfence: remote_sfence_vma(_asid)");
  if (bench_rounds) bench(bench_rounds);

  /* HSM: stop hart 1 */
  h1_do(4);
  check(wait_status(1, 1), "hsm: hart_stop");

  /* HSM: retentive suspend until the timer */
  __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_SIE));
  uint64_t t0 = rdtime();
  sbi(EXT_TIME, 0, (long)(t0 + ms_ticks(3)), 0, 0, 0, 0);
  r = sbi(EXT_HSM, 3, 0, 0, 0, 0, 0);
  __asm__ volatile("csrr %0, sip" : "=r"(sip));
  check(r.error == 0 && (sip & SIP_STIP) && rdtime() >= t0 + ms_ticks(3), "hsm: suspend until an interrupt");
  sbi(EXT_TIME, 0, -1L, 0, 0, 0, 0);

  printf("t-sbi: %s (%u wrong)\n", failures ? "FAILED" : "passed", failures);
  if (failures) sdk_exit(EXIT_WRONG);
  sbi(EXT_SRST, 0, 0, 0, 0, 0, 0); /* shutdown */
  fail(EXIT_WRONG, "t-sbi: system_reset returned");
}

int main(void) {
  bench_rounds = arg_u64("bench", 0);
  args_done();
  if (hart_count() < 2) fail(EXIT_BADARG, "t-sbi needs 2+ harts (has %u)", hart_count());
  /* to S-mode: S interrupts delegated, counters readable, mret to s_main */
  __asm__ volatile("csrw mideleg, %0" ::"r"(0x222UL));
  __asm__ volatile("csrw medeleg, %0" ::"r"(0xb1ffUL));
  __asm__ volatile("csrw mcounteren, %0" ::"r"(7UL));
  __asm__ volatile("csrw satp, zero");
  uint64_t ms;
  __asm__ volatile("csrr %0, mstatus" : "=r"(ms));
  ms = (ms & ~(3UL << 11)) | (1UL << 11); /* MPP = S */
  __asm__ volatile("csrw mstatus, %0" ::"r"(ms));
  __asm__ volatile("csrw mepc, %0" ::"r"(s_main));
  __asm__ volatile("mret");
  return EXIT_WRONG;
}
