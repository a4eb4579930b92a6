/* t-same: a deterministic parallel computation whose output depends only on
 * n= and rounds=, never on the number of harts or where they run:
 *  fill    a[i] = mix64(i), each thread its contiguous share
 *  sum     thread t sums the share of thread t+1 (data written elsewhere),
 *          then a tree reduction over per-thread partials with barriers
 *  hist    256-bucket histogram of a[i] >> 56 with amoadd.d
 *  stencil rounds= sweeps b[i] = a[i-1]/4 + a[i]/2 + a[i+1]/4 (periodic),
 *          double-buffered, a barrier between sweeps
 * Hart 0 recomputes everything serially: verify=ok only if both agree.
 * Prints one "t-same:" line of results, then the RESULT line. */
#include "tcommon.h"

typedef struct { uint64_t v; } __attribute__((aligned(SDK_PAGE))) slot_t;
static slot_t red_sum[SDK_MAX_HARTS], red_xor[SDK_MAX_HARTS];
static struct { volatile uint64_t b[256]; } __attribute__((aligned(SDK_PAGE))) hist;
static barrier_t bar __attribute__((aligned(SDK_PAGE)));

typedef struct { uint64_t n, rounds; uint64_t *a, *b; } job_t;

static inline uint64_t stencil(const uint64_t *src, uint64_t i, uint64_t n) {
  return (src[(i + n - 1) % n] >> 2) + (src[i] >> 1) + (src[(i + 1) % n] >> 2);
}

static void compute(unsigned tid, unsigned nt, void *arg) {
  job_t *j = arg;
  uint64_t lo, hi;
  par_split(j->n, tid, nt, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) j->a[i] = mix64(i);
  barrier_wait(&bar);
  uint64_t plo, phi, s = 0, x = 0;
  par_split(j->n, (tid + 1) % nt, nt, &plo, &phi);
  for (uint64_t i = plo; i < phi; i++) { s += j->a[i]; x ^= j->a[i]; }
  red_sum[tid].v = s;
  red_xor[tid].v = x;
  for (unsigned stride = 1; stride < nt; stride *= 2) {
    barrier_wait(&bar);
    if (tid % (2 * stride) == 0 && tid + stride < nt) {
      red_sum[tid].v += red_sum[tid + stride].v;
      red_xor[tid].v ^= red_xor[tid + stride].v;
    }
  }
  for (uint64_t i = lo; i < hi; i++) __atomic_fetch_add(&hist.b[j->a[i] >> 56], 1, __ATOMIC_RELAXED);
  uint64_t *src = j->a, *dst = j->b;
  for (uint64_t r = 0; r < j->rounds; r++) {
    barrier_wait(&bar);
    for (uint64_t i = lo; i < hi; i++) dst[i] = stencil(src, i, j->n);
    uint64_t *t = src; src = dst; dst = t;
  }
  barrier_wait(&bar);
}

static uint64_t hash_array(const uint64_t *v, uint64_t n) {
  uint64_t h = mix64(n);
  for (uint64_t i = 0; i < n; i++) h = mix64(h ^ v[i]);
  return h;
}

int main(void) {
  job_t j = {arg_u64("n", 65536), arg_u64("rounds", 8), 0, 0};
  unsigned nt = arg_threads();
  args_done();
  if (j.n < 3 || j.n > (1ULL << 26)) fail(EXIT_BADARG, "argument n=%lu: must be 3..64M", (unsigned long)j.n);
  j.a = sdk_alloc(j.n * 8, SDK_PAGE);
  j.b = sdk_alloc(j.n * 8, SDK_PAGE);
  barrier_init(&bar, nt);
  span_t span = {0};
  span_begin(&span);
  par_run(nt, compute, &j);
  span_end(&span);
  const uint64_t *par_out = j.rounds % 2 ? j.b : j.a;
  uint64_t sum = red_sum[0].v, x = red_xor[0].v, hh = hash_array((const uint64_t *)hist.b, 256);
  uint64_t st = hash_array(par_out, j.n);

  /* serial reference, in place of the parallel buffers' roles */
  uint64_t *a = sdk_alloc(j.n * 8, SDK_PAGE), *b = sdk_alloc(j.n * 8, SDK_PAGE), ssum = 0, sx = 0;
  static uint64_t shist[256];
  for (uint64_t i = 0; i < j.n; i++) { a[i] = mix64(i); ssum += a[i]; sx ^= a[i]; shist[a[i] >> 56]++; }
  for (uint64_t r = 0; r < j.rounds; r++) {
    for (uint64_t i = 0; i < j.n; i++) b[i] = stencil(a, i, j.n);
    uint64_t *t = a; a = b; b = t;
  }
  bool ok = sum == ssum && x == sx && hh == hash_array(shist, 256) && st == hash_array(a, j.n);
  if (!ok) printf("t-same: parallel and serial results differ\n");
  printf("t-same: n=%lu rounds=%lu sum=0x%016lx xor=0x%016lx hist=0x%016lx stencil=0x%016lx\n", (unsigned long)j.n,
         (unsigned long)j.rounds, (unsigned long)sum, (unsigned long)x, (unsigned long)hh, (unsigned long)st);
  uint64_t h = mix64(mix64(mix64(sum) ^ x) ^ hh) ^ st;
  result_line("t-same", ok, "harts=%u n=%lu rounds=%lu checksum=0x%016lx ticks=%lu instret=%lu", nt, (unsigned long)j.n,
              (unsigned long)j.rounds, (unsigned long)mix64(h), (unsigned long)span.ticks, (unsigned long)span.instret);
  return ok ? EXIT_OK : EXIT_WRONG;
}
