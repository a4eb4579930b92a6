/* Locks and barriers built on RISC-V AMOs (GCC __atomic builtins). */
#include "unum.h"

bool spin_trylock(spinlock_t *l) {
  return __atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE) == 0;
}

void spin_lock(spinlock_t *l) {
  for (;;) {
    if (spin_trylock(l)) return;
    while (__atomic_load_n(&l->held, __ATOMIC_RELAXED)) cpu_relax();  /* spin on a read copy */
  }
}

void spin_unlock(spinlock_t *l) { __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE); }

void ticket_lock(ticketlock_t *l) {
  uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
  while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != me) cpu_relax();
}

void ticket_unlock(ticketlock_t *l) {
  __atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
}

void barrier_init(barrier_t *b, uint32_t n) {
  b->count = 0;
  b->sense = 0;
  b->n = n;
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* The sense cannot flip before this hart has arrived, so reading it on entry
 * gives the phase we are in; the last arrival resets the count and flips it. */
void barrier_wait(barrier_t *b) {
  uint32_t sense = __atomic_load_n(&b->sense, __ATOMIC_ACQUIRE);
  if (__atomic_fetch_add(&b->count, 1, __ATOMIC_ACQ_REL) == b->n - 1) {
    b->count = 0;
    __atomic_store_n(&b->sense, sense ^ 1, __ATOMIC_RELEASE);
  } else {
    while (__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) == sense) cpu_relax();
  }
}
