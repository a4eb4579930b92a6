import type { DsmCore } from './protocol.js';
import { knob, registerModifier } from './registry.js';

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
        for (let j = 1; j <= (m.prefetch ?? 0) && unit + j < core.units; j++) {
          ahead.push(core.inQueue(unit + j, () => pushPrefetch(core, unit + j, m.requester)).catch((err) => core.fail(err, m)));
        }
        return ahead;
      },
    };
  },
});

/** A read copy of a following unit, if this node owns it, is idle, and `to` has none. */
async function pushPrefetch(core: DsmCore, unit: number, to: number): Promise<void> {
  const e = core.entry(unit);
  if (!e.owner || e.acks || e.holding || e.pending || e.deferred.length > 0 || e.copyset.has(to)) return;
  if (e.lazy && core.placement === 'first-touch') return; // the first toucher should own it
  if (e.rights === 'write' && (core.variant.holdMs?.(unit, 'read', core.now() - e.ownedSince) ?? 0) > 0) return;
  const data = await core.readCopy(unit, e);
  e.copyset.add(to);
  core.counters.prefetchesSent++;
  core.send(to, { type: 'prefetch', unit, version: e.version, owner: core.id, data });
}
