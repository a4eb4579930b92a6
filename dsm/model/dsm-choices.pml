/*
 * The choices the code makes from time or capacity (Mirage's holdMs > 0,
 * capacity.reserve) and the eviction's unit and peer. Model checking and
 * random runs choose freely (with TRACE each choice is an EV_CHOICE line, so
 * the model -> code replay can make the code choose the same). With REPLAY
 * (code -> model, dsm-replay.pml) every choice is the code's, taken from the
 * queues the replay driver fills before each step.
 */


#ifdef REPLAY
chan rq = [8] of { bool };   /* the code's next yes/no choices, in order */
chan rp = [8] of { byte };   /* the code's next units and peers (NONE: it asked nobody) */
/* the code chose; `allowed`: the model could choose yes here */
#define CHOOSE_IF(allowed, v, n, uu) \
  assert(len(rq) > 0); /* the model makes a choice the code did not */ \
  rq?v; \
  assert((allowed) || !v) /* the code chose yes where the model cannot */
#define PICK_UNIT(uu) assert(len(rp) > 0); rp?uu; assert(uu < U)
/* a peer to ask for room; the code asking nobody is any peer MAY_ASK refuses: the node itself */
#define PICK_PEER(qq, n) assert(len(rp) > 0); rp?qq; if :: qq == NONE -> qq = n :: else -> assert(qq < N) fi
#else
#ifdef TRACE
#define NOTE_CHOICE(v, n, uu) printf("EV %d %d 0 %d %d\n", EV_CHOICE, n, uu, v)
#else
#define NOTE_CHOICE(v, n, uu) skip
#endif
/* yes or no, either way when `allowed` (else no) */
#define CHOOSE_IF(allowed, v, n, uu) \
  if \
  :: (allowed) -> if :: v = true :: v = false fi \
  :: else -> v = false \
  fi; \
  NOTE_CHOICE(v, n, uu)
#define PICK_UNIT(uu) select(uu : 0 .. U - 1)
#define PICK_PEER(qq, n) select(qq : 0 .. N - 1)
#endif
