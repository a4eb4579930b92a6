/* qsort: branchy code. Quicksort (median of three, insertion sort below 16
 * elements) of `n` pseudo-random 32-bit keys, `rounds` times with fresh keys.
 * Checked: the output is nondecreasing and holds the same multiset (sum and
 * xor of mixed keys); the checksum hashes every sorted array. */
#include "common.h"

static void insertion_sort(uint32_t *a, long lo, long hi) {
  for (long i = lo + 1; i <= hi; i++) {
    uint32_t v = a[i];
    long j = i - 1;
    while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

static inline void swap(uint32_t *a, long i, long j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; }

static void quick_sort(uint32_t *a, long lo, long hi) {
  while (hi - lo >= 16) {
    long mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    uint32_t pivot = a[mid];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (j - lo < hi - i) { quick_sort(a, lo, j); lo = i; }   /* recurse on the smaller side */
    else { quick_sort(a, i, hi); hi = j; }
  }
  insertion_sort(a, lo, hi);
}

int main(void) {
  uint64_t n = arg_u64("n", 200000);
  uint64_t rounds = arg_u64("rounds", 5);
  args_done();
  if (n < 1) fail(EXIT_BADARG, "n must be at least 1");
  uint32_t *a = sdk_alloc(n * sizeof *a, 64);
  uint64_t ticks = 0, instret = 0, h = 0;
  bool ok = true;
  for (uint64_t r = 0; r < rounds; r++) {
    uint64_t sum = 0, x = 0;
    for (uint64_t i = 0; i < n; i++) {
      a[i] = (uint32_t)mix64(r * n + i);
      sum += a[i]; x ^= mix64(a[i]);
    }
    span_t t = {0};
    span_begin(&t);
    quick_sort(a, 0, (long)n - 1);
    span_end(&t);
    ticks += t.ticks; instret += t.instret;
    for (uint64_t i = 0; i < n; i++) {
      if (i > 0 && a[i - 1] > a[i]) ok = false;
      sum -= a[i]; x ^= mix64(a[i]);
      h = mix64(h ^ a[i]);
    }
    if (sum != 0 || x != 0) ok = false;
  }
  result_line("qsort", ok, "harts=1 n=%lu rounds=%lu checksum=0x%016lx ticks=%lu instret=%lu", n, rounds, h,
              ticks, instret);
  return ok ? 0 : 1;
}
