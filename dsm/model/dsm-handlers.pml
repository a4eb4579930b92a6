/*
 * The handlers of dsm-node.ts / node-base.ts, one inline each, same names.
 * Every inline runs inside one atomic step and uses the hidden scratch
 * variables declared below (hidden: not part of the state vector).
 */

hidden byte x, y, u, a, p, q, from, mu, m1, m2, m3, m4, nx, o, tmp, data, others, dlen, cur, hops, cu, cn, cw, cr, co, r1, r2, r3;
hidden mtype mk, dk;
hidden byte handled, deferred, tr, hold, ok; /* bools; spin hides no bit variables */

#define SEND(from, to, k, uu, f1, f2, f3, f4) \
  assert((to) != (from) && (to) < N); \
  assert(len(ch[CH(from, to)]) < CAP); \
  ch[CH(from, to)]!k, uu, f1, f2, f3, f4

/* DsmNode.transfers: serving this request moves ownership to the requester */
#define TRANSFERS(acc, ownerIsLazyHere) ((acc) == W || OWNREAD || (PLACE == 2 && (ownerIsLazyHere) && lazy[x]))

/* choices the code makes from time or capacity: CHOOSE_IF (dsm-choices.pml) */

inline defer(kind, acc, req, pf) {
  assert(len(dq[x]) < DQ);
  dq[x]!kind, acc, req, pf;
  deferred = true
}

inline forward(n, to, u, acc, req, pf) {
  assert(to != n); /* forwarding to self */
  SEND(n, to, FWD, u, acc, req, pf, 0)
}

inline finish(n, u) {
  pend[x] = 0;
  if
  :: len(dq[x]) > 0 -> drains[x]++
  :: else
  fi
}

inline becomeWriter(n, u) {
  acks[x] = 0;
  held[x] = 0; /* ownedSince = now */
  rights[x] = W;
  finish(n, u)
}

inline invalidate(n, u, nodes, v) {
  if
  :: nodes != 0 ->
    acks[x] = nodes;
    for (cn : 0 .. N - 1) {
      if
      :: nodes & BIT(cn) -> SEND(n, cn, INV, u, v, 0, 0, 0)
      :: else
      fi
    }
  :: else
  fi
}

/* NodeBase.readCopy: the bytes to hand out as a read copy; this node keeps Read. z = IX(n, unit). */
inline readCopy(z) {
  if
  :: lazy[z] -> val[z] = 0; lazy[z] = false; rights[z] = R; data = 0
  :: else ->
    if
    :: rights[z] == W -> rights[z] = R /* handshake */
    :: else
    fi;
    data = val[z]
  fi
}

/* NodeBase.pushUpdates (write-update): the write epoch ends, the revoked sharers get the new copy */
inline pushUpdates(n, u, req) {
  for (cn : 0 .. N - 1) {
    if
    :: (upd[x] & BIT(cn)) && cn != req && cn != n ->
      cs[x] = cs[x] | BIT(cn);
      SEND(n, cn, UPD, u, ver[x], n, data, 0)
    :: else
    fi
  }
  upd[x] = 0
}

/* NodeBase.pushPrefetch: a read copy of unit u2 = u + 1 if this node owns it, it is idle, and `to` has none */
inline pushPrefetch(n, u2, to) {
  y = IX(n, u2);
  assert(!asking[y]); /* prefetch is not combined with ownership push in the model */
  if
  :: !owner[y] || acks[y] != 0 || holding[y] || pend[y] != 0 || len(dq[y]) > 0 || (cs[y] & BIT(to)) -> skip
  :: else ->
    if
    :: lazy[y] && PLACE == 2 -> skip /* the first toucher should own it */
    :: else ->
      hold = false;
#if MIRAGE
      if
      :: rights[y] == W -> CHOOSE_IF(true, hold, n, u2)
      :: else
      fi;
#endif
      if
      :: hold -> skip
      :: else ->
        readCopy(y);
        cs[y] = cs[y] | BIT(to);
        SEND(n, to, PREF, u2, ver[y], n, data, 0)
      fi
    fi
  fi
}

/* DsmNode.grant: ownership transfer (the IVY bases: nobody keeps a copy) */
inline grant(n, u, req) {
  if
  :: !lazy[x] -> rights[x] = 0; data = val[x] /* handshake first, then read the bytes */
  :: else -> data = 0
  fi;
  others = cs[x];
  tmp = upd[x] & ~BIT(req);
  owner[x] = false; lazy[x] = false; prob[x] = req;
  cs[x] = 0; upd[x] = 0;
  gto[u] = req;
  SEND(n, req, GRANT, u, ver[x], others, data, tmp)
}

/* DsmNode.serve: owner side, a copy or the ownership */
inline serve(n, u, kind, acc, req, pf) {
  assert(req != n); /* serving own request */
  tr = TRANSFERS(acc, true);
  hold = false;
#if MIRAGE
  if
  :: !lazy[x] && (tr || rights[x] == W) -> CHOOSE_IF(held[x] < MAXHOLD, hold, n, u) /* the code asks holdMs */
  :: else
  fi;
#endif
  if
  :: hold ->
    holding[x] = true; held[x]++;
    defer(kind, acc, req, pf)
  :: else ->
#if PREFETCH
    if
    :: pf && u + 1 < U -> pushPrefetch(n, u + 1, req)
    :: else
    fi;
#endif
    if
    :: tr -> grant(n, u, req)
    :: else ->
      readCopy(x);
      cs[x] = cs[x] | BIT(req);
      SEND(n, req, PAGE, u, ver[x], n, data, 0);
      pushUpdates(n, u, req)
    fi
  fi
}

/* DsmNode.onRequest (request or forward), IVY bases */
inline onRequest(n, u, kind, acc, req, pf, draining) {
  x = IX(n, u);
  handled = false;
  if
  :: kind == REQ && MANAGER(u) == n ->
    /* manager step: pass it to the owner we know, and remember the next owner */
    o = mgrOwner[x];
    if
    :: TRANSFERS(acc, o == n && owner[x]) -> mgrOwner[x] = req
    :: else
    fi;
    if
    :: o != n -> forward(n, o, u, acc, req, pf); handled = true
    :: else -> kind = FWD
    fi
  :: else
  fi;
  if
  :: handled
  :: !handled && pushedAway[x] && !owner[x] && MANAGER(u) != NONE ->
    /* the manager forwarded this before it got our push: pass it on */
    nx = prob[x];
    if
    :: TRANSFERS(acc, false) -> prob[x] = req
    :: else
    fi;
    forward(n, nx, u, acc, req, pf)
  :: else ->
    if
    :: !draining && len(dq[x]) > 0 -> defer(kind, acc, req, pf) /* keep arrival order */
    :: else ->
      if
      :: owner[x] && acks[x] == 0 && !holding[x] -> serve(n, u, kind, acc, req, pf)
      :: else ->
        if
        :: owner[x] || expecting[x] || (pend[x] != 0 && WILL_OWN(pend[x])) -> defer(kind, acc, req, pf)
        :: else ->
          assert(req != n); /* own request came back */
          if
          :: MANAGER(u) == n && mgrOwner[x] != n -> forward(n, mgrOwner[x], u, acc, req, pf)
          :: else ->
            assert(MANAGER(u) == NONE); /* a request reached a non-owner (protocolErrors) */
            nx = prob[x];
            if
            :: TRANSFERS(acc, false) -> prob[x] = req /* compress: the requester will own it */
            :: else
            fi;
            forward(n, nx, u, acc, req, pf)
          fi
        fi
      fi
    fi
  fi
}

/* DsmNode.sendRequest */
inline sendRequest(n, u, acc) {
  mk = REQ; m1 = acc; m2 = n; m3 = (acc == R && PREFETCH);
  nx = MANAGER(u);
  if
  :: nx == NONE -> nx = prob[x]
  :: else
  fi;
  if
  :: nx == n -> onRequest(n, u, mk, m1, m2, m3, false)
  :: else -> SEND(n, nx, REQ, u, m1, m2, m3, 0)
  fi
}

/* DsmNode.startFault: a local fault in the unit's queue */
inline startFault(n, u, acc) {
  x = IX(n, u);
  if
  :: ALLOWS(rights[x], acc) || pend[x] != 0 || expecting[x] -> parked[n] = expecting[x] /* coalesce */
  :: else ->
    if
    :: owner[x] && lazy[x] -> val[x] = 0; lazy[x] = false; held[x] = 0; rights[x] = W
    :: else ->
      pend[x] = acc;
      if
      :: owner[x] ->
        /* owner holding Read: upgrade in place by invalidating the copyset */
        others = cs[x]; cs[x] = 0;
#if UPDATE
        upd[x] = upd[x] | others;
#endif
        invalidate(n, u, others, ver[x]);
        ver[x]++;
        if
        :: others == 0 -> becomeWriter(n, u)
        :: else
        fi
      :: else -> sendRequest(n, u, acc)
      fi
    fi
  fi
}

inline installCopy(n, u, v, from, d) {
  val[x] = d; ver[x] = v; prob[x] = from;
  rights[x] = R
}

/* DsmNode.onPage */
inline onPage(n, u, v, from, d) {
  assert(pend[x] == R && !owner[x]); /* copy nobody asked for */
  if
  :: v < stale[x] && !BUG_NO_STALE -> sendRequest(n, u, R) /* an invalidation overtook this copy */
  :: else -> installCopy(n, u, v, from, d); finish(n, u)
  fi
}

/* DsmNode.onPushedCopy (update, prefetch): only if this node holds nothing and it is not stale */
inline onPushedCopy(n, u, sender, v, from, d) {
  assert(from == sender); /* pushed in the name of another */
  if
  :: owner[x] || pend[x] != 0 || rights[x] != 0 || v < stale[x] -> skip
  :: else -> installCopy(n, u, v, from, d)
  fi
}

/* DsmNode.onGrant */
inline onGrant(n, u, v, copyset, d, upds) {
  assert(pend[x] != 0 && !owner[x]); /* ownership nobody asked for */
  val[x] = d;
  owner[x] = true; lazy[x] = false; prob[x] = n; held[x] = 0; pushedAway[x] = false;
  gto[u] = NONE;
  cs[x] = 0;
  others = copyset & ~BIT(n);
  ver[x] = v + 1;
#if UPDATE
  upd[x] = (others | upds) & ~BIT(n);
#endif
  invalidate(n, u, others, v);
  if
  :: others == 0 -> becomeWriter(n, u)
  :: else
  fi
}

/* DsmNode.onInvalidate */
inline onInvalidate(n, u, from, v) {
  assert(!owner[x]); /* invalidation at the owner */
  if
  :: rights[x] != 0 && ver[x] <= v ->
#if BUG_ACK_EARLY
    revokeLater[x] = true /* BUG: the ack leaves before the handshake */
#else
    rights[x] = 0
#endif
  :: else
  fi;
  if
  :: stale[x] < v + 1 -> stale[x] = v + 1
  :: else
  fi;
  SEND(n, from, ACK, u, v, 0, 0, 0)
}

/* DsmNode.onAck */
inline onAck(n, u, from, v) {
  assert((acks[x] & BIT(from)) && v + 1 == ver[x]); /* ack not awaited */
  acks[x] = acks[x] & ~BIT(from);
  if
  :: acks[x] == 0 -> becomeWriter(n, u)
  :: else
  fi
}

/* DsmNode.onReserve: reserve room if nothing is in progress here (capacity: either answer) */
inline onReserve(n, u, from) {
  ok = !owner[x] && pend[x] == 0 && acks[x] == 0 && !holding[x] && len(dq[x]) == 0 && !expecting[x];
  if
  :: ok -> CHOOSE_IF(true, ok, n, u) /* the code asks capacity.reserve */
  :: else
  fi;
  expecting[x] = ok;
  SEND(n, from, CREDIT, u, ok, 0, 0, 0)
}

/* DsmNode.onPush */
inline onPush(n, u, from, v, copyset, d, upds) {
  assert(expecting[x] && !owner[x]); /* push nobody reserved room for */
  val[x] = d;
  owner[x] = true; lazy[x] = false; prob[x] = n; held[x] = 0; pushedAway[x] = false; ver[x] = v;
  gto[u] = NONE;
  if
  :: MANAGER(u) == n ->
    if
    :: mgrOwner[x] == from -> mgrOwner[x] = n
    :: else
    fi;
    SEND(n, from, PUSHED, u, 0, 0, 0, 0)
  :: else
  fi;
  cs[x] = copyset & ~BIT(n);
  upd[x] = upds & ~BIT(n);
  rights[x] = R;
  expecting[x] = false;
  finish(n, u);
  /* DsmNode.fault's loop: the vCPU's fault waited for this push; still short of rights (a write), it faults again at once */
  if
  :: parked[n] && wU[n] == u ->
    parked[n] = false;
    if
    :: !ALLOWS(rights[x], wA[n]) -> EVENT(EV_REFAULT, n, 0, u, wA[n]); startFault(n, u, wA[n])
    :: else
    fi
  :: else
  fi
}

/* NodeBase.withUnit's busy */
#define BUSY(z) (pend[z] != 0 || acks[z] != 0 || holding[z] || len(dq[z]) > 0 || expecting[z])
/* pushAway may ask `to` (ivy-central/fixed: the manager pushes to anyone, others only to the manager) */
#define MAY_ASK(n, u, to) ((to) != (n) && !(asked[x] & BIT(to)) && (MANAGER(u) == NONE || MANAGER(u) == (n) || MANAGER(u) == (to)))

/* DsmNode.pushAway, first part: reserve room at `to` (the unit's queue stays busy until the credit) */
inline askPush(n, u, to) {
  asking[x] = true; askTo[x] = to; asked[x] = asked[x] | BIT(to);
  SEND(n, to, RESERVE, u, 0, 0, 0, 0)
}

/* DsmNode.pushAway, after a credit ok: handshake, read, push */
inline pushTo(n, u, to) {
  rights[x] = 0; data = val[x];
  others = cs[x] & ~BIT(to);
  tmp = upd[x] & ~BIT(to);
  owner[x] = false; lazy[x] = false; prob[x] = to; pushedAway[x] = (MANAGER(u) == to);
  if
  :: MANAGER(u) == n -> mgrOwner[x] = to
  :: else
  fi;
  cs[x] = 0; upd[x] = 0;
  gto[u] = to;
  SEND(n, to, PUSH, u, ver[x], others, data, tmp);
  giveUp(n, u)
}

inline giveUp(n, u) {
  asking[x] = false; askTo[x] = NONE; asked[x] = 0
}

/* one message off the unit's queue */
inline handle(n, from) {
  u = mu;
  x = IX(n, u);
  if
  :: mk == REQ || mk == FWD -> onRequest(n, u, mk, m1, m2, m3, false)
  :: mk == PAGE -> onPage(n, u, m1, m2, m3)
  :: mk == UPD || mk == PREF -> onPushedCopy(n, u, from, m1, m2, m3)
  :: mk == GRANT -> onGrant(n, u, m1, m2, m3, m4)
  :: mk == INV -> onInvalidate(n, u, from, m1)
  :: mk == ACK -> onAck(n, u, from, m1)
  :: mk == RESERVE -> onReserve(n, u, from)
  :: mk == PUSH -> onPush(n, u, from, m1, m2, m3, m4)
  :: mk == PUSHED -> pushedAway[x] = false
  fi
}

/* DsmNode.drain: answer deferred requests in order; one deferred again stops it, the rest stays behind it */
inline drain(n, u) {
  x = IX(n, u);
  dlen = len(dq[x]);
  cur = 0;
  deferred = false;
  do
  :: cur < dlen && !deferred ->
    dq[x]?dk, r1, r2, r3;
    cur++;
    onRequest(n, u, dk, r1, r2, r3, true);
    if
    :: deferred ->
      tmp = dlen - cur;
      do
      :: tmp > 0 -> dq[x]?dk, r1, r2, r3; dq[x]!dk, r1, r2, r3; tmp--
      :: else -> break
      od
    :: else
    fi
  :: else -> break
  od
}
