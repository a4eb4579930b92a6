/*
 * The steps a node takes, each one atomic: a vCPU access or fault, a message
 * off a link, a deferred drain, a Mirage timer, an eviction. dsm-run.pml
 * picks among them nondeterministically. With TRACE each step prints its
 * events (EV) and every (node, unit) after it (ST): the conformance test
 * (dsm/src/testing/model-replay.ts) replays spin's random runs against DsmNode.
 */

/* every (node, unit) as the conformance tests compare it with PageEntry */
inline printState() {
  for (cn : 0 .. N - 1) {
    for (cu : 0 .. U - 1) {
      y = IX(cn, cu);
      printf("ST %d %d %d %d %d %d %d %d ", cn, cu, owner[y], lazy[y], rights[y], pend[y], ver[y], cs[y]);
      printf("%d %d %d %d %d %d %d %d %d\n", prob[y], mgrOwner[y], len(dq[y]), holding[y], acks[y], stale[y], upd[y], expecting[y], pushedAway[y])
    }
  }
}

inline stepEnd() {
  checkInvariants();
#ifdef TRACE
  printState();
#endif
  skip
}

/* a vCPU load or store the rights allow; every read sees the last write in the one global order */
inline vcpuAccess(n, uu, acc) {
  y = IX(n, uu);
  if
  :: acc == R -> assert(val[y] == mem[uu]) /* data value: a read returns the last write */
  :: else -> assert(wc < 255); wc++; mem[uu] = wc; val[y] = wc
  fi;
  EVENT(EV_ACCESS, n, val[y], uu, acc)
}

/* the next access of node n's vCPU, any unit, read or write */
inline vcpuStep(n) {
  select(u : 0 .. U - 1);
  select(a : R .. W);
  vcpuNext(n)
}

/* the access (u, a): done at once, or a page exit and a fault */
inline vcpuNext(n) {
  left[n]--;
  if
  :: ALLOWS(rights[IX(n, u)], a) -> vcpuAccess(n, u, a)
  :: else ->
    wU[n] = u; wA[n] = a; waiting[n] = true;
    if
    :: !asking[IX(n, u)] -> EVENT(EV_FAULT, n, 0, u, a); startFault(n, u, a)
    :: else /* the unit's queue is busy: the fault runs when it is free (vcpuRetry) */
    fi
  fi
}

/* the fault loop: rights still short once the fault is done, fault again */
inline vcpuRetry(n) {
  retries[n]--;
  u = wU[n]; a = wA[n];
  EVENT(EV_FAULT, n, 0, u, a);
  startFault(n, u, a)
}

/* out of re-faults: the access is dropped (bounds the run; see RETRIES) */
inline vcpuDrop(n) {
  wA[n] = 0; waiting[n] = false
}

inline vcpuResume(n) {
  vcpuAccess(n, wU[n], wA[n]);
  wA[n] = 0; waiting[n] = false
}

/* a credit is answered outside the unit queue; ok: push now, refused: ask another peer or give up */
inline onCredit(n, u, from, isOk) {
  x = IX(n, u);
  assert(asking[x] && askTo[x] == from); /* credit nobody asked for */
  askTo[x] = NONE;
  EVENT(EV_CREDIT, n, from, u, isOk);
  if
  :: isOk -> pushTo(n, u, from); EVENT(EV_PUSH, n, from, u, 0)
  :: else ->
    PICK_PEER(q, n);
    if
    :: MAY_ASK(n, u, q) -> askPush(n, u, q); EVENT(EV_ASK, n, q, u, 0)
    :: else -> giveUp(n, u); EVENT(EV_GIVEUP, n, 0, u, 0)
    fi
  fi
}

/* a message delivered from p: a credit, into the unit's queue, or handled at once */
inline receive(n, p) {
  x = IX(n, mu);
  if
  :: mk == CREDIT -> onCredit(n, mu, p, m1)
  :: else ->
#if INBOX
    if
    :: asking[x] || len(ib[x]) > 0 -> ib[x]!p, mk, m1, m2, m3, m4; EVENT_MSG(EV_DELIVER, n, p, mu, 0, mk)
    :: else -> EVENT_MSG(EV_DELIVER, n, p, mu, 0, mk); EVENT_MSG(EV_RECV, n, p, mu, 0, mk); handle(n, p)
    fi
#else
    EVENT_MSG(EV_DELIVER, n, p, mu, 0, mk); EVENT_MSG(EV_RECV, n, p, mu, 0, mk); handle(n, p)
#endif
  fi
}

#if INBOX
inline fromInbox(n, uu) {
  ib[IX(n, uu)]?p, mk, m1, m2, m3, m4;
  mu = uu;
  EVENT_MSG(EV_RECV, n, p, uu, 0, mk);
  handle(n, p)
}
#endif

inline drainStep(n, uu) {
  drains[IX(n, uu)]--;
  EVENT(EV_DRAIN, n, 0, uu, 0);
  drain(n, uu)
}

/* the Mirage timer: e.holding = false, then drain */
inline unholdStep(n, uu) {
  holding[IX(n, uu)] = false;
  EVENT(EV_UNHOLD, n, 0, uu, 0);
  drain(n, uu)
}

/* memory pressure (SimCluster.evictStep): push an idle owned unit to a peer with room, or drop an idle read copy */
inline evictStep(n) {
  evl[n]--;
  PICK_UNIT(u);
  x = IX(n, u);
  if
  :: asking[x] /* the unit's queue is busy with a push */
  :: !asking[x] && owner[x] && !BUSY(x) && !lazy[x] && !(MANAGER(u) == n && mgrOwner[x] != n) ->
    PICK_PEER(q, n);
    if
    :: MAY_ASK(n, u, q) -> askPush(n, u, q); EVENT(EV_ASK, n, q, u, 0)
    :: else
    fi
  :: !asking[x] && !owner[x] && rights[x] == R && !BUSY(x) -> rights[x] = 0; EVENT(EV_DROP, n, 0, u, 0)
  :: else
  fi
}
