/* memchase: memory-bound loop over a buffer larger than the caches. A
 * pointer chase through one random cycle (Sattolo's shuffle) over `size`
 * bytes of 64-byte nodes, then a strided sum (stride 4 KiB + 64 B, so every
 * load touches a new page). Checked in closed form: after k full laps of the
 * cycle the chase is back at node 0 and has summed k·n(n−1)/2 indices; the
 * strided pass sums every 8-byte word once per pass, as a linear pass does. */
#include "common.h"

typedef struct { uint64_t next, pad[7]; } node_t;   /* one 64-byte line */

int main(void) {
  uint64_t size = arg_u64("size", 8u << 20);
  uint64_t laps = arg_u64("laps", 4);
  uint64_t passes = arg_u64("passes", 4);
  args_done();
  uint64_t n = size / sizeof(node_t);
  if (n < 2) fail(EXIT_BADARG, "size=%lu: need at least 128 bytes", size);
  node_t *nodes = sdk_alloc(n * sizeof(node_t), 4096);
  for (uint64_t i = 0; i < n; i++) nodes[i] = (node_t){.next = i};
  uint64_t r = 42;
  for (uint64_t i = n - 1; i > 0; i--) {             /* Sattolo: one cycle through all n */
    r = mix64(r);
    uint64_t j = r % i, tmp = nodes[i].next;
    nodes[i].next = nodes[j].next;
    nodes[j].next = tmp;
  }
  uint64_t *words = (uint64_t *)nodes, nw = n * 8;
  span_t t = {0};
  span_begin(&t);
  uint64_t p = 0, chase_sum = 0;
  for (uint64_t s = 0; s < laps * n; s++) {
    p = nodes[p].next;
    chase_sum += p;
  }
  uint64_t stride = 512 + 8, strided_sum = 0;          /* in words: 4 KiB + 64 B */
  for (uint64_t k = 0; k < passes; k++)
    for (uint64_t start = 0; start < stride; start++)
      for (uint64_t i = start; i < nw; i += stride) strided_sum += words[i] ^ i;
  span_end(&t);
  /* the strided pass visits every word once per pass, in another order */
  uint64_t want_strided = 0;
  for (uint64_t i = 0; i < nw; i++) want_strided += words[i] ^ i;
  bool ok = p == 0 && chase_sum == laps * (n * (n - 1) / 2) && strided_sum == passes * want_strided;
  result_line("memchase", ok, "harts=1 size=%lu laps=%lu passes=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              n * sizeof(node_t), laps, passes, mix64(chase_sum ^ mix64(strided_sum)), t.ticks, t.instret);
  return ok ? 0 : 1;
}
