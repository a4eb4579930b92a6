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
    return { ...base, prefetch: () => k };
  },
});
