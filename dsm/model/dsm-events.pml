/*
 * What TRACE prints: each atomic step's events as EV lines (kind node peer
 * unit arg [message]), which spin's counterexamples and random runs show and
 * the model -> code replay (dsm/src/testing/model-replay.ts) follows.
 */

/* event kinds, as dsm/src/testing/model-replay.ts numbers them (EV) */
#define EV_FAULT 1
#define EV_DELIVER 2
#define EV_RECV 3
#define EV_DRAIN 4
#define EV_UNHOLD 5
#define EV_DROP 6
#define EV_ASK 7
#define EV_CREDIT 8
#define EV_PUSH 9
#define EV_GIVEUP 10
#define EV_ACCESS 11
#define EV_CHOICE 12
#define EV_REFAULT 13 /* the code's fault loop faults again by itself (onPush) */

#ifdef TRACE
#define EVENT(kind, n, p, u, a) printf("EV %d %d %d %d %d\n", kind, n, p, u, a)
#define EVENT_MSG(kind, n, p, u, a, m) printf("EV %d %d %d %d %d %e\n", kind, n, p, u, a, m)
#else
#define EVENT(kind, n, p, u, a) skip
#define EVENT_MSG(kind, n, p, u, a, m) skip
#endif
