/*
 * Code -> model conformance (docs/dsm.md "Model checking"): a run of the real
 * DsmNodes, recorded by dsm/src/testing/code-trace.ts, becomes a generated
 * driver: RSTEPS model steps as data (rk kind, ra1..ra5 arguments, the code's
 * yes/no choices rc/rv and peer rpeer) and an `init` that calls replayRun().
 * Each step asserts that the model can take it here (the step's guard in
 * dsm-run.pml holds and it goes the code's way), then takes it. The choices
 * the code made (Mirage holds, capacity, eviction unit and peer) go on rq/rp
 * first (dsm-choices.pml); after each code step (R_SYNC) the model prints its
 * state (SYNC, ST lines) for the test to compare with the code's.
 */

#define R_VCPU 1
#define R_RESUME 2
#define R_RETRY 3
#define R_DELIVER 4
#define R_INBOX 5
#define R_DRAIN 6
#define R_UNHOLD 7
#define R_EVICT 8
#define R_SYNC 9
#define R_NOPICK 254 /* rpeer of a step that picks no peer */

byte rk[RSTEPS];
byte ra1[RSTEPS];
byte ra2[RSTEPS];
byte ra3[RSTEPS];
byte ra4[RSTEPS];
byte ra5[RSTEPS];
byte rc[RSTEPS];     /* how many yes/no choices the code made in the step */
byte rv[RSTEPS];     /* the choices, bit j = choice j */
byte rpeer[RSTEPS];  /* eviction, refused credit: the peer the code asked (NONE: nobody) */
hidden short ri;
hidden byte rj;

hidden byte rU;

/* the step is done: it used every choice the code made in it */
inline rDone() {
  stepEnd();
  assert(len(rq) == 0 && len(rp) == 0) /* the code made a choice the model did not */
}

/* node n's vCPU makes its next access (uu, acc); the code did it at once (value v) or took a page exit (faulted) */
inline rVcpu(dn, du, dacc, dfault, dv) {
  assert(left[dn] > 0 && wA[dn] == 0); /* the model's vCPU is not ready for a new access */
  u = du; a = dacc;
  vcpuNext(dn);
  assert((wA[dn] != 0) == dfault); /* the model's rights differ: it faults where the code did not, or the reverse */
  assert(dfault || val[IX(dn, du)] == dv); /* the access sees another value */
  rDone()
}

/* the vCPU's fault resolved and its access now succeeds (value v) */
inline rResume(dn, dv) {
  rU = wU[dn];
  assert(wA[dn] != 0 && ALLOWS(rights[IX(dn, rU)], wA[dn])); /* the model's vCPU cannot resume */
  vcpuResume(dn);
  assert(val[IX(dn, rU)] == dv); /* the access sees another value */
  rDone()
}

/* the vCPU faults again (its rights fell short when it resumed, or its fault waited behind a push) */
inline rRetry(dn) {
  assert(REFAULT(dn) && retries[dn] > 0); /* the model's vCPU cannot fault again here */
  vcpuRetry(dn);
  rDone()
}

/* the head of the link from p to n, kind k (mtype) for unit uu, delivered to n */
inline rDeliver(dp, dn, dk, du) {
  assert(len(ch[CH(dp, dn)]) > 0); /* the model has no message in flight on this link */
  ch[CH(dp, dn)]?<mk, mu, m1, m2, m3, m4>;
  assert(mk == dk && mu == du); /* the model's next message on this link differs */
  ch[CH(dp, dn)]?mk, mu, m1, m2, m3, m4;
  receive(dn, dp);
  rDone()
}

#if INBOX
/* a message that waited in the unit's queue (behind a push) is handled */
inline rInbox(dn, du, dp, dk) {
  assert(!asking[IX(dn, du)] && len(ib[IX(dn, du)]) > 0); /* the model has no message waiting for this unit */
  ib[IX(dn, du)]?<from, mk, m1, m2, m3, m4>;
  assert(from == dp && mk == dk); /* the model's next waiting message differs */
  fromInbox(dn, du);
  rDone()
}
#endif

/* a drain finish() scheduled */
inline rDrain(dn, du) {
  assert(drains[IX(dn, du)] > 0 && !asking[IX(dn, du)]); /* the model scheduled no drain here */
  drainStep(dn, du);
  rDone()
}

/* the Mirage timer */
inline rUnhold(dn, du) {
  assert(holding[IX(dn, du)] && !asking[IX(dn, du)]); /* the model holds no request here */
  unholdStep(dn, du);
  rDone()
}

/* an eviction event on unit uu; peer: whom the code asked for room (NONE: nobody) */
inline rEvict(dn, du, dpeer) {
  assert(evl[dn] > 0); /* the model has no eviction left */
  rp!du; rp!dpeer;
  evictStep(dn);
  if
  :: len(rp) > 0 -> rp?q; assert(q == NONE) /* the code asked a peer where the model asks nobody */
  :: else
  fi;
  rDone()
}

/* one code step is done: the model's state, to compare */
inline rSync(di) {
  printf("SYNC %d\n", di);
  printState()
}

/* the recorded steps, in order */
inline replayRun() {
  ri = 0;
  do
  :: ri < RSTEPS ->
    printf("SUB %d\n", ri);
    rj = 0;
    do
    :: rj < rc[ri] -> rq!((rv[ri] >> rj) & 1); rj++
    :: else -> break
    od;
    if
    :: rk[ri] == R_DELIVER && rpeer[ri] != R_NOPICK -> rp!rpeer[ri]
    :: else
    fi;
    if
    :: rk[ri] == R_VCPU -> rVcpu(ra1[ri], ra2[ri], ra3[ri], ra4[ri], ra5[ri])
    :: rk[ri] == R_RESUME -> rResume(ra1[ri], ra2[ri])
    :: rk[ri] == R_RETRY -> rRetry(ra1[ri])
    :: rk[ri] == R_DELIVER -> rDeliver(ra1[ri], ra2[ri], ra3[ri], ra4[ri])
#if INBOX
    :: rk[ri] == R_INBOX -> rInbox(ra1[ri], ra2[ri], ra3[ri], ra4[ri])
#endif
    :: rk[ri] == R_DRAIN -> rDrain(ra1[ri], ra2[ri])
    :: rk[ri] == R_UNHOLD -> rUnhold(ra1[ri], ra2[ri])
    :: rk[ri] == R_EVICT -> rEvict(ra1[ri], ra2[ri], rpeer[ri])
    :: rk[ri] == R_SYNC -> rSync(ra1[ri])
    fi;
    ri++
  :: else -> break
  od;
  rEnd()
}

/* the code's run ended quiescent: so must the model's */
inline rEnd() {
  quiescent();
  printf("REPLAY DONE\n")
}
