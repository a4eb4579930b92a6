import type { DsmCore } from './protocol.js';
import type { RequestMsg } from '../messages.js';
import { knob, registerModifier } from './registry.js';

/**
 * Copies produced per turn when the node lets other work in between
 * (DsmCore.bulkYield): a request that arrives meanwhile is served after at
 * most this many, not after the whole batch.
 */
const COPIES_PER_TURN = 8;

/**
 * Sequential prefetch: a read request also asks the owner for the next k units
 * (`prefetchUnits`, default 4). The owner sends a `prefetch` copy of each one
 * it owns, is not busy with, and the requester does not already share: one
 * request, 1 + k' replies instead of k' + 1 faults of two messages each.
 */
registerModifier({
  name: 'prefetch',
  knob: {
    name: 'prefetchUnits', flag: 'prefetch-units', help: 'units also fetched after a read fault', label: (v) => `k=${v}`,
    default: 4, min: 1, max: 64, integer: true,
  },
  apply: (base, ctx) => {
    const k = knob(ctx, 'prefetchUnits');
    return {
      ...base,
      prefetch: () => k,
      serveAhead(core, unit, m) {
        // Prefetched copies go out first: on the FIFO link they reach the requester before the reply to its fault.
        // Waits only go to higher units' queues, and pushPrefetch awaits nothing but local handshakes: no cycle.
        const ahead = base.serveAhead?.(core, unit, m) ?? [];
        const units: number[] = [];
        for (let j = 1; j <= (m.prefetch ?? 0) && unit + j < core.units; j++) units.push(unit + j);
        if (!core.bulkYield) ahead.push(...units.map((u) => copyInQueue(core, u, m)));
        else ahead.push(copiesInTurns(core, core.bulkYield, units, m));
        return ahead;
      },
    };
  },
});

const copyInQueue = (core: DsmCore, unit: number, m: RequestMsg) =>
  core.inQueue(unit, () => pushPrefetch(core, unit, m.requester)).catch((err) => core.fail(err, m));

/**
 * The copies in chunks, each after a yield: the owner's other requests (a
 * demand fault's, with no copies to make) are served in between, and their
 * replies leave in the link's fault lane, ahead of the queued copies.
 */
async function copiesInTurns(core: DsmCore, bulkYield: () => Promise<void>, units: number[], m: RequestMsg): Promise<void> {
  const wanted = units.filter((u) => wouldCopy(core, u, m.requester)); // none (the common miss): no yield, no delay
  for (let i = 0; i < wanted.length; i += COPIES_PER_TURN) {
    await bulkYield();
    await Promise.all(wanted.slice(i, i + COPIES_PER_TURN).map((u) => copyInQueue(core, u, m)));
  }
}

/** This node owns `unit`, is idle on it, and `to` has no copy. */
function wouldCopy(core: DsmCore, unit: number, to: number): boolean {
  const e = core.entry(unit);
  if (!e.owner || e.acks || e.holding || e.pending || e.deferred.length > 0 || e.copyset.has(to)) return false;
  if (e.lazy && core.placement === 'first-touch') return false; // the first toucher should own it
  return !(e.rights === 'write' && (core.variant.holdMs?.(unit, 'read', core.now() - e.ownedSince) ?? 0) > 0);
}

/** A read copy of a following unit, if this node still would copy it (checked in the unit's queue). */
async function pushPrefetch(core: DsmCore, unit: number, to: number): Promise<void> {
  if (!wouldCopy(core, unit, to)) return;
  const e = core.entry(unit);
  const data = await core.readCopy(unit, e);
  e.copyset.add(to);
  core.counters.prefetchesSent++;
  core.send(to, { type: 'prefetch', unit, version: e.version, owner: core.id, data }, 'bulk');
}
