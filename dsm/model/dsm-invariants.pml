/*
 * Safety invariants, checked after every step (inside it: no extra states).
 *   SWMR: at most one node with Write, and then no node with Read.
 *   One ownership token: exactly one owner, or none and one grant/push in flight.
 *   Probable-owner chain: from every node (ivy-dynamic), or from the manager's
 *   record (ivy-central/fixed), the hints reach the owner (or the node about to
 *   own) in fewer than N hops, so without a cycle.
 * The data-value invariant is the assert in vcpuAccess (dsm-steps.pml).
 */

/* the chain may end here: the owner, the receiver of the grant/push in flight, or a node about to own */
#define TERMINAL(c, uu) (owner[IX(c, uu)] || gto[uu] == (c) || expecting[IX(c, uu)] || (pend[IX(c, uu)] != 0 && WILL_OWN(pend[IX(c, uu)])))

inline chainFrom(start, uu, managed) {
  cur = start;
  hops = 0;
  do
  :: TERMINAL(cur, uu) -> break
  :: else ->
    assert(hops < N); /* probable-owner chain has a cycle or misses the owner */
    assert(!managed || pushedAway[IX(cur, uu)]); /* the manager's record points at a non-owner */
    cur = prob[IX(cur, uu)];
    hops++
  od
}

inline checkInvariants() {
  for (cu : 0 .. U - 1) {
    cw = 0; cr = 0; co = 0;
    for (cn : 0 .. N - 1) {
      if
      :: rights[IX(cn, cu)] == W -> cw++
      :: rights[IX(cn, cu)] == R -> cr++
      :: else
      fi;
      if
      :: owner[IX(cn, cu)] -> co++
      :: else
      fi
    }
    assert(cw <= 1 && (cw == 0 || cr == 0)); /* SWMR */
    assert(co + (gto[cu] != NONE) == 1); /* one ownership token */
#if MGR == 2
    for (cn : 0 .. N - 1) {
      chainFrom(cn, cu, false)
    }
#else
    o = MANAGER(cu);
    tmp = mgrOwner[IX(o, cu)];
    chainFrom(tmp, cu, true)
#endif
  }
}
