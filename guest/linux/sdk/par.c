/* par_run on pthreads: a pool of hart_count()-1 workers, created on first
 * use, thread i pinned to CPU i (first-touch placement then works as on bare
 * metal). Workers sleep on a condition variable between regions instead of
 * spinning, since they share the CPUs with the rest of the system. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include "unum.h"

__thread unsigned sdk_thread_index;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER, done = PTHREAD_COND_INITIALIZER;
static uint64_t gen;            /* bumped once per region */
static unsigned pending;        /* workers still running the current region */
static par_fn cur_fn;
static void *cur_arg;
static unsigned cur_n;
static unsigned nworkers;       /* threads 1..nworkers exist */
static uint64_t start_gen[SDK_MAX_HARTS];
static barrier_t par_bar;

static void *worker(void *p) {
  unsigned tid = (unsigned)(uintptr_t)p;
  sdk_thread_index = tid;
  pin_cpu(hart_id_of(tid));   /* best effort */
  pthread_mutex_lock(&mu);
  uint64_t seen = start_gen[tid];
  for (;;) {
    while (gen == seen) pthread_cond_wait(&go, &mu);
    seen = gen;
    if (tid >= cur_n) continue;
    par_fn fn = cur_fn;
    void *arg = cur_arg;
    unsigned n = cur_n;
    pthread_mutex_unlock(&mu);
    fn(tid, n, arg);
    pthread_mutex_lock(&mu);
    if (--pending == 0) pthread_cond_signal(&done);
  }
  return 0;
}

void par_run(unsigned nthreads, par_fn fn, void *arg) {
  if (nthreads < 1 || nthreads > hart_count()) fail(EXIT_BADARG, "par_run: %u threads, machine has %u harts", nthreads, hart_count());
  if (sdk_thread_index != 0) fail(EXIT_WRONG, "par_run called from thread %u (only the main thread may)", sdk_thread_index);
  if (nworkers == 0) pin_cpu(hart_id_of(0));
  while (nworkers + 1 < nthreads) {
    pthread_t t;
    unsigned tid = ++nworkers;
    start_gen[tid] = gen;   /* read by the worker under mu, before gen moves on */
    if (pthread_create(&t, 0, worker, (void *)(uintptr_t)tid) != 0) fail(EXIT_NOMEM, "par_run: cannot start thread %u", tid);
    pthread_detach(t);
  }
  barrier_init(&par_bar, nthreads);
  pthread_mutex_lock(&mu);
  cur_fn = fn;
  cur_arg = arg;
  cur_n = nthreads;
  pending = nthreads - 1;
  gen++;
  pthread_cond_broadcast(&go);
  pthread_mutex_unlock(&mu);
  fn(0, nthreads, arg);
  pthread_mutex_lock(&mu);
  while (pending) pthread_cond_wait(&done, &mu);
  pthread_mutex_unlock(&mu);
}

void par_barrier(void) { barrier_wait(&par_bar); }

void par_split(uint64_t n, unsigned tid, unsigned nthreads, uint64_t *lo, uint64_t *hi) {
  uint64_t q = n / nthreads, r = n % nthreads;
  *lo = q * tid + (tid < r ? tid : r);
  *hi = *lo + q + (tid < r ? 1 : 0);
}
