/*
 * The model checker's run: N node processes, each picking any enabled step;
 * a watchdog that, when nothing can move, asserts that every vCPU finished
 * and nothing is left in flight (so a stuck fault or message is a deadlock);
 * and the liveness claim: every fault a vCPU takes is eventually resolved.
 */

inline initState() {
  for (cu : 0 .. U - 1) {
    mem[cu] = 0;
    gto[cu] = NONE;
    for (cn : 0 .. N - 1) {
      y = IX(cn, cu);
      owner[y] = (cn == INIT_OWNER(cu)); lazy[y] = owner[y];
      prob[y] = INIT_OWNER(cu); mgrOwner[y] = INIT_OWNER(cu);
      askTo[y] = NONE
    }
  }
  for (cn : 0 .. N - 1) {
    left[cn] = OPS; evl[cn] = EVICTS; retries[cn] = RETRIES
  }
}

/* steps on one unit `c` of node n: a drain finish() scheduled, the Mirage timer, a message waiting in the unit's queue */
#define UNIT_STEPS(c) \
  :: atomic { c < U && drains[IX(n, c)] > 0 && !asking[IX(n, c)] -> drainStep(n, c); stepEnd() } \
  :: atomic { c < U && holding[IX(n, c)] && !asking[IX(n, c)] -> unholdStep(n, c); stepEnd() } \
  :: atomic { c < U && revokeLater[IX(n, c)] -> rights[IX(n, c)] = 0; revokeLater[IX(n, c)] = false; stepEnd() }

#define FROM(c) \
  :: atomic { ch[CH(c, n)]?mk, mu, m1, m2, m3, m4 -> receive(n, c); stepEnd() }

#if INBOX
#define INBOX_STEP(c) \
  :: atomic { c < U && !asking[IX(n, c)] && len(ib[IX(n, c)]) > 0 -> fromInbox(n, c); stepEnd() }
#else
#define INBOX_STEP(c)
#endif

/*
 * node n's vCPU waits, its fault is done (or not started: the queue was busy),
 * and its rights still fall short. While a push comes the fault parks on it
 * (startFault returns e.expecting) and onPush faults again.
 */
#define REFAULT(n) (wA[n] != 0 && !ALLOWS(rights[IX(n, wU[n])], wA[n]) && pend[IX(n, wU[n])] == 0 && \
  !parked[n] && !asking[IX(n, wU[n])])

/* at the end: every vCPU done and nothing left in flight (else a deadlock) */
inline quiescent() {
  for (cn : 0 .. N - 1) {
    assert(left[cn] == 0 && wA[cn] == 0); /* a vCPU is stuck: deadlock */
    for (cu : 0 .. U - 1) {
      y = IX(cn, cu);
      assert(pend[y] == 0 && acks[y] == 0 && len(dq[y]) == 0 && !expecting[y] && !asking[y]); /* a fault or request is stuck */
    }
    for (cu : 0 .. N - 1) {
      assert(len(ch[CH(cn, cu)]) == 0) /* a message was never received */
    }
  }
}

#ifndef REPLAY
proctype node(byte n) {
end:
  do
  :: atomic { left[n] > 0 && wA[n] == 0 -> vcpuStep(n); stepEnd() }
  :: atomic { wA[n] != 0 && ALLOWS(rights[IX(n, wU[n])], wA[n]) -> vcpuResume(n); stepEnd() }
  :: atomic { REFAULT(n) && retries[n] > 0 -> vcpuRetry(n); stepEnd() }
  :: atomic { REFAULT(n) && retries[n] == 0 -> vcpuDrop(n); stepEnd() }
  FROM(0)
  FROM(1)
#if N > 2
  FROM(2)
#endif
#if N > 3
  FROM(3)
#endif
  UNIT_STEPS(0)
  UNIT_STEPS(1)
  UNIT_STEPS(2)
  INBOX_STEP(0)
  INBOX_STEP(1)
  INBOX_STEP(2)
#if EVICTS > 0
  :: atomic { evl[n] > 0 -> evictStep(n); stepEnd() }
#endif
  od
}

/* nothing can move: it must be the end */
active proctype watchdog() {
end:
  timeout -> atomic { quiescent() }
}

init {
  atomic {
    initState();
    for (cn : 0 .. N - 1) {
      run node(cn)
    }
  }
}

/* liveness: under weak fairness, every fault a vCPU takes is resolved (pan -a -f -N live) */
#define RESOLVED(n) (!waiting[n] || <> !waiting[n])
#if N == 2
ltl live { [] (RESOLVED(0) && RESOLVED(1)) }
#else
ltl live { [] (RESOLVED(0) && RESOLVED(1) && RESOLVED(2)) }
#endif
#endif
