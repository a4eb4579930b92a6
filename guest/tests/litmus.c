/* t-litmus: the litmus shapes SB, MP, LB, IRIW, WRC, 2+2W and CoRR, each run
 * iters= times with its threads on distinct harts (thread t on hart index t).
 * Every iteration: barrier, a small random delay, the shape's accesses, each
 * thread stores what it read into its own page, barrier, thread 0 counts the
 * outcome and resets the variables.
 *   fences=1   a `fence rw,rw` between the two accesses of every thread
 *   colocate=1 x and y share one page (default: each on its own 4 KiB page)
 *   sc=1       the machine claims sequential consistency
 *   shapes=    comma-separated subset, e.g. shapes=sb,mp (default all)
 *   jitter=    max delay loop iterations before the accesses (default 32)
 * One RESULT line per shape: o<bits>=count for every outcome seen (bits = the
 * thread-order registers, 1 = the value was observed), forbidden= the count of
 * the outcome sequential consistency forbids. verify=fail (and exit 1) if that
 * outcome appears while the run claims it cannot: sc=1, or fences=1 (RVWMO
 * forbids all of them with fences), or CoRR (coherence forbids it always); or
 * a register held a value nobody wrote. */
#include "tcommon.h"

enum { SB, MP, LB, IRIW, WRC, W22, CORR, NSHAPES };
typedef struct { const char *name; unsigned threads, regs, forbidden; } shape_t;
/* forbidden = the outcome bits (r0 = most significant) SC rules out */
static const shape_t shapes[NSHAPES] = {
  [SB] = {"sb", 2, 2, 0x0},    /* T0: x=1; r0=y     T1: y=1; r1=x          forbid r0=0 r1=0 */
  [MP] = {"mp", 2, 2, 0x2},    /* T0: x=1; y=1      T1: r0=y; r1=x         forbid r0=1 r1=0 */
  [LB] = {"lb", 2, 2, 0x3},    /* T0: r0=x; y=1     T1: r1=y; x=1          forbid r0=1 r1=1 */
  [IRIW] = {"iriw", 4, 4, 0xA},/* T0: x=1  T1: y=1  T2: r0=x; r1=y  T3: r2=y; r3=x   forbid 1,0,1,0 */
  [WRC] = {"wrc", 3, 3, 0x6},  /* T0: x=1  T1: r0=x; y=1  T2: r1=y; r2=x   forbid 1,1,0 */
  [W22] = {"2+2w", 2, 2, 0x0}, /* T0: x=1; y=2      T1: y=1; x=2   final x,y; bit = (value==2); forbid x=1 y=1 */
  [CORR] = {"corr", 2, 2, 0x2},/* T0: x=1           T1: r0=x; r1=x         forbid r0=1 r1=0 */
};

static struct { volatile uint64_t w[SDK_PAGE / 8]; } __attribute__((aligned(SDK_PAGE))) var_pages[2];
static struct { volatile uint64_t r[4]; } __attribute__((aligned(SDK_PAGE))) regs[4];
static barrier_t bar __attribute__((aligned(SDK_PAGE)));
static volatile uint64_t *X, *Y;

typedef struct {
  unsigned shape;
  uint64_t iters, jitter;
  bool fences;
  uint64_t counts[16], weird;
} job_t;

static inline void maybe_fence(bool f) { if (f) fence_rw(); else compiler_barrier(); }

/* The shape's accesses for thread tid; values read go to regs[tid]. */
static void accesses(unsigned shape, unsigned tid, bool f) {
  volatile uint64_t *r = regs[tid].r;
  switch (shape * 4 + tid) {
  case SB * 4 + 0: *X = 1; maybe_fence(f); r[0] = *Y; break;
  case SB * 4 + 1: *Y = 1; maybe_fence(f); r[0] = *X; break;
  case MP * 4 + 0: *X = 1; maybe_fence(f); *Y = 1; break;
  case MP * 4 + 1: r[0] = *Y; maybe_fence(f); r[1] = *X; break;
  case LB * 4 + 0: r[0] = *X; maybe_fence(f); *Y = 1; break;
  case LB * 4 + 1: r[0] = *Y; maybe_fence(f); *X = 1; break;
  case IRIW * 4 + 0: *X = 1; break;
  case IRIW * 4 + 1: *Y = 1; break;
  case IRIW * 4 + 2: r[0] = *X; maybe_fence(f); r[1] = *Y; break;
  case IRIW * 4 + 3: r[0] = *Y; maybe_fence(f); r[1] = *X; break;
  case WRC * 4 + 0: *X = 1; break;
  case WRC * 4 + 1: r[0] = *X; maybe_fence(f); *Y = 1; break;
  case WRC * 4 + 2: r[0] = *Y; maybe_fence(f); r[1] = *X; break;
  case W22 * 4 + 0: *X = 1; maybe_fence(f); *Y = 2; break;
  case W22 * 4 + 1: *Y = 1; maybe_fence(f); *X = 2; break;
  case CORR * 4 + 0: *X = 1; break;
  case CORR * 4 + 1: r[0] = *X; maybe_fence(f); r[1] = *X; break;
  default: break;
  }
}

/* Registers of all threads in thread order, as observed values. */
static unsigned gather(unsigned shape, uint64_t vals[4]) {
  switch (shape) {
  case SB: case LB: vals[0] = regs[0].r[0]; vals[1] = regs[1].r[0]; return 2;
  case MP: case CORR: vals[0] = regs[1].r[0]; vals[1] = regs[1].r[1]; return 2;
  case IRIW: vals[0] = regs[2].r[0]; vals[1] = regs[2].r[1]; vals[2] = regs[3].r[0]; vals[3] = regs[3].r[1]; return 4;
  case WRC: vals[0] = regs[1].r[0]; vals[1] = regs[2].r[0]; vals[2] = regs[2].r[1]; return 3;
  default: vals[0] = *X; vals[1] = *Y; return 2;   /* 2+2W: final memory */
  }
}

static void run_shape(unsigned tid, unsigned nt, void *arg) {
  (void)nt;
  job_t *j = arg;
  for (uint64_t it = 0; it < j->iters; it++) {
    barrier_wait(&bar);
    uint64_t d = j->jitter ? mix64((it << 8) | tid) % (j->jitter + 1) : 0;
    for (volatile uint64_t k = 0; k < d; k++) {}
    accesses(j->shape, tid, j->fences);
    barrier_wait(&bar);
    if (tid != 0) continue;
    uint64_t vals[4];
    unsigned nregs = gather(j->shape, vals), bits = 0;
    bool weird = false;
    for (unsigned i = 0; i < nregs; i++) {
      bool w22 = j->shape == W22;
      uint64_t one = w22 ? 2 : 1, other = w22 ? 1 : 0;
      if (vals[i] != one && vals[i] != other) weird = true;
      bits = bits << 1 | (vals[i] == one);
    }
    if (weird) j->weird++; else j->counts[bits]++;
    *X = 0;
    *Y = 0;
    for (unsigned t = 0; t < 4; t++) for (unsigned r = 0; r < 4; r++) regs[t].r[r] = 7;  /* nobody writes 7 */
  }
}

static bool wanted(const char *list, const char *name) {
  if (strcmp(list, "all") == 0) return true;
  size_t n = strlen(name);
  for (const char *p = list; *p;) {
    const char *e = p;
    while (*e && *e != ',') e++;
    if ((size_t)(e - p) == n && strncmp(p, name, n) == 0) return true;
    p = *e ? e + 1 : e;
  }
  return false;
}

int main(void) {
  uint64_t iters = arg_u64("iters", 1000), jitter = arg_u64("jitter", 32);
  bool fences = arg_u64("fences", 0), colocate = arg_u64("colocate", 0), sc = arg_u64("sc", 0);
  const char *list = arg_str("shapes", "all");
  args_done();
  for (const char *p = list; *p;) {        /* reject unknown shape names */
    const char *e = p;
    while (*e && *e != ',') e++;
    bool known = strcmp(list, "all") == 0;
    for (unsigned s = 0; s < NSHAPES; s++)
      known |= (size_t)(e - p) == strlen(shapes[s].name) && strncmp(p, shapes[s].name, (size_t)(e - p)) == 0;
    if (!known) fail(EXIT_BADARG, "argument shapes=%s: shapes are sb,mp,lb,iriw,wrc,2+2w,corr or all", list);
    p = *e ? e + 1 : e;
  }
  X = &var_pages[0].w[0];
  Y = colocate ? &var_pages[0].w[8] : &var_pages[1].w[0];   /* co-located: same page, next 64-byte line */
  bool ok = true;
  for (unsigned s = 0; s < NSHAPES; s++) {
    const shape_t *sh = &shapes[s];
    if (!wanted(list, sh->name)) continue;
    if (sh->threads > hart_count())
      fail(EXIT_BADARG, "shape %s needs %u harts, the machine has %u (or pick shapes=)", sh->name, sh->threads, hart_count());
    static job_t job;
    memset(&job, 0, sizeof job);
    job.shape = s;
    job.iters = iters;
    job.jitter = jitter;
    job.fences = fences;
    *X = 0;
    *Y = 0;
    for (unsigned t = 0; t < 4; t++) for (unsigned r = 0; r < 4; r++) regs[t].r[r] = 7;
    barrier_init(&bar, sh->threads);
    span_t span = {0};
    span_begin(&span);
    par_run(sh->threads, run_shape, &job);
    span_end(&span);

    char outs[300];
    size_t len = 0;
    uint64_t total = job.weird;
    for (unsigned b = 0; b < (1u << sh->regs); b++) {
      total += job.counts[b];
      if (!job.counts[b]) continue;
      char bits[5];
      for (unsigned i = 0; i < sh->regs; i++) bits[i] = (char)('0' + ((b >> (sh->regs - 1 - i)) & 1));
      bits[sh->regs] = 0;
      len += (size_t)snprintf(outs + len, sizeof outs - len, " o%s=%lu", bits, (unsigned long)job.counts[b]);
    }
    uint64_t forbidden = job.counts[sh->forbidden];
    bool claimed = sc || fences || s == CORR;
    bool shape_ok = total == iters && job.weird == 0 && !(claimed && forbidden);
    if (!shape_ok)
      printf("t-litmus: %s: %lu forbidden outcome(s), %lu impossible value(s), %lu/%lu iterations counted\n", sh->name,
             (unsigned long)forbidden, (unsigned long)job.weird, (unsigned long)total, (unsigned long)iters);
    ok &= shape_ok;
    uint64_t h = mix64(mix64(mix64(s) ^ iters) ^ (fences | colocate << 1 | sc << 2)) ^ total;
    result_line("t-litmus", shape_ok, "shape=%s harts=%u iters=%lu fences=%u colocate=%u sc=%u checksum=0x%016lx ticks=%lu instret=%lu%s forbidden=%lu weird=%lu",
                sh->name, sh->threads, (unsigned long)iters, fences, colocate, sc, (unsigned long)mix64(h),
                (unsigned long)span.ticks, (unsigned long)span.instret, outs, (unsigned long)forbidden, (unsigned long)job.weird);
  }
  return ok ? EXIT_OK : EXIT_WRONG;
}
