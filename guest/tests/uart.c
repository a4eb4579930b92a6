/* t-uart: all threads print lines= lines in total at the same time (line i is
 * printed by the thread par_split gives it to). Line i reads
 *   uart: hart=<mhartid> line=<i> text=<hex of mix64(i), repeated 1 + i % 4 times>
 * so a test can check that every line is whole and present exactly once.
 * The checksum covers the text of all lines in order (hart-independent). */
#include "tcommon.h"

typedef struct { uint64_t lines; } job_t;

static void print_share(unsigned tid, unsigned n, void *arg) {
  uint64_t lo, hi;
  par_split(((job_t *)arg)->lines, tid, n, &lo, &hi);
  for (uint64_t i = lo; i < hi; i++) {
    char text[4 * 16 + 1];
    size_t len = 0;
    for (uint64_t r = 0; r <= i % 4; r++) len += (size_t)snprintf(text + len, sizeof text - len, "%016lx", (unsigned long)mix64(i));
    printf("uart: hart=%u line=%lu text=%s\n", hart_id(), (unsigned long)i, text);
  }
}

int main(void) {
  job_t j = {arg_u64("lines", 400)};
  unsigned n = arg_threads();
  args_done();
  span_t span = {0};
  span_begin(&span);
  par_run(n, print_share, &j);
  span_end(&span);
  uint64_t h = mix64(j.lines);
  for (uint64_t i = 0; i < j.lines; i++) h = mix64(h ^ mix64(i) ^ (i % 4));
  result_line("t-uart", true, "harts=%u lines=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              n, (unsigned long)j.lines, (unsigned long)h, (unsigned long)span.ticks, (unsigned long)span.instret);
  return EXIT_OK;
}
