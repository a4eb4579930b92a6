/*
 * unum's DSM as spin sees it: dsm/src/dsm-node.ts + node-base.ts, one inline
 * per handler, same names, same branches (docs/dsm.md "Model checking").
 *
 * Configuration (-D on spin's command line):
 *   N, U        nodes and units
 *   MGR         0 ivy-central (manager node 0), 1 ivy-fixed (u mod N), 2 ivy-dynamic
 *   PLACE       0 node0, 1 interleaved, 2 first-touch
 *   OPS         accesses each node's vCPU makes (read or write, any unit)
 *   RETRIES     re-faults per node: a fault resolved, then revoked before the
 *               vCPU used it (IVY's ping-pong); past the budget the access is
 *               dropped, which bounds the runs (the fault itself was resolved)
 *   EVICTS      eviction events per node (push an owned unit with credits, or drop a copy)
 *   OWNREAD MIRAGE UPDATE PREFETCH   the modifiers (0/1); PREFETCH fetches unit+1
 *   MAXHOLD     Mirage holds per ownership period (Δ passes: a hold cannot repeat forever)
 *   BUG_ACK_EARLY   seeded bug: a sharer acks an invalidation before its rights are revoked
 *   BUG_NO_STALE    seeded bug: a read copy is installed without the staleBelow check
 *   TRACE       print every step (EV lines) and the state after it (ST lines):
 *               spin's counterexamples and random runs as protocol events
 *   REPLAY      no processes of its own: a generated driver forces a run the
 *               code recorded through the model's steps (dsm-replay.pml)
 *
 * Handlers are atomic: the per-unit queue runs one event per (node, unit) at a
 * time, and a handler awaits only the local revocation handshake, after which
 * it sends. A vCPU access in the handshake window is ordered before the
 * handler, so running the handler at once explores the same orders.
 * Channels: one FIFO per ordered node pair, all units on it; nothing across pairs.
 */

#ifndef N
#define N 3
#endif
#ifndef U
#define U 2
#endif
#ifndef MGR
#define MGR 2
#endif
#ifndef PLACE
#define PLACE 0
#endif
#ifndef OPS
#define OPS 2
#endif
#ifndef RETRIES
#define RETRIES 1
#endif
#ifndef EVICTS
#define EVICTS 0
#endif
#ifndef OWNREAD
#define OWNREAD 0
#endif
#ifndef MIRAGE
#define MIRAGE 0
#endif
#ifndef UPDATE
#define UPDATE 0
#endif
#ifndef PREFETCH
#define PREFETCH 0
#endif
#ifndef MAXHOLD
#define MAXHOLD 1
#endif
#ifndef CAP
#define CAP 4
#endif
#ifndef DQ
#define DQ 4
#endif
#ifndef BUG_ACK_EARLY
#define BUG_ACK_EARLY 0
#endif
#ifndef BUG_NO_STALE
#define BUG_NO_STALE 0
#endif
#if EVICTS > 0
#define INBOX 1
#else
#define INBOX 0
#endif

#define NONE 255
#define R 1
#define W 2
#define IX(n, u) ((n) * U + (u))
#define CH(f, t) ((f) * N + (t))
#define BIT(n) (1 << (n))
#define MANAGER(u) (MGR == 0 -> 0 : (MGR == 1 -> (u) % N : NONE))
#define HOME(u) (MGR == 0 -> 0 : (u) % N)
#define INIT_OWNER(u) (PLACE == 0 -> 0 : (PLACE == 1 -> (u) % N : HOME(u)))
#define ALLOWS(r, a) ((r) >= (a))
#define WILL_OWN(p) ((p) == W || OWNREAD)

mtype = { REQ, FWD, PAGE, UPD, PREF, GRANT, PUSH, INV, ACK, RESERVE, PUSHED, CREDIT };

/* PageEntry, per node and unit (index IX(n, u)) */
byte rights[N * U];     /* 0 none, 1 read, 2 write */
bool owner[N * U];
bool lazy[N * U];
byte ver[N * U];
byte cs[N * U];         /* copyset, bit per node */
byte prob[N * U];
byte mgrOwner[N * U];
byte pend[N * U];       /* pending fault: 0, R or W */
byte acks[N * U];       /* invalidations unacknowledged, bit per node */
bool holding[N * U];
byte held[N * U];       /* Mirage holds since the unit was acquired */
byte stale[N * U];      /* staleBelow */
byte upd[N * U];        /* updateSet */
bool expecting[N * U];
bool pushedAway[N * U];
byte drains[N * U];     /* drains scheduled by finish() (timers.defer) */
byte val[N * U];        /* the frame's contents: the value of the last write it saw */
bool revokeLater[N * U];/* BUG_ACK_EARLY: acked, rights not yet revoked */
chan dq[N * U] = [DQ] of { mtype, byte, byte, byte };  /* deferred: kind, access, requester, prefetch */

/* ownership push (PushCredits): the pusher's side */
bool asking[N * U];     /* reserve sent, waiting for its credit (the unit queue is blocked) */
byte askTo[N * U];
byte asked[N * U];

/* one FIFO per ordered pair: kind, unit, f1..f4 */
chan ch[N * N] = [CAP] of { mtype, byte, byte, byte, byte, byte };
#if INBOX
/* messages delivered to a node for a unit whose queue is busy: from, kind, f1..f4 */
chan ib[N * U] = [CAP] of { byte, mtype, byte, byte, byte, byte };
#endif

/* the vCPUs and the one global order of writes */
byte mem[U];            /* last value written */
byte wc;                /* values handed out */
byte left[N];           /* accesses each vCPU still makes */
byte wU[N];             /* a vCPU waiting for a fault: unit and access (wA 0: not waiting) */
byte wA[N];
byte retries[N];        /* re-faults each vCPU may still take */
byte evl[N];            /* eviction events left */
byte gto[U];            /* ghost: receiver of the grant or push in flight */
bool waiting[N];        /* ghost for the liveness claim: node's vCPU has an unresolved fault */
bool parked[N];         /* node's vCPU faulted on a unit a push is on its way to (startFault returned e.expecting) */

#define LOCALS \
  byte x, y, i, j, k, u, a, p, mu, m1, m2, m3, m4, from, nx, o, tmp, data, others, cnt, cur, hops; \
  mtype mk, dk; bool handled, deferred, tr, hold, ok

#include "dsm-events.pml"
#include "dsm-choices.pml"
#include "dsm-handlers.pml"
#include "dsm-invariants.pml"
#include "dsm-steps.pml"

#include "dsm-run.pml"
#ifdef REPLAY
#include "dsm-replay.pml"
#endif
