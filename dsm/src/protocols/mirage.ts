import { knob, registerModifier } from './registry.js';

/**
 * Mirage (Fleisch & Popek, SOSP 1989): a unit stays at least Δ (`mirageMs`,
 * default 1 ms) at the node that acquired it (ownership or Write) before a
 * request can take it away; requests that arrive earlier wait, in order, until
 * Δ has passed. Limits ping-pong on falsely shared units at the price of the
 * waiting requester's latency.
 */
registerModifier({
  name: 'mirage',
  knob: {
    name: 'mirageMs', flag: 'mirage-ms', valueName: 'ms', help: 'Mirage Δ: ms a node keeps a unit before giving it away', label: (v) => `Δ=${v}ms`,
    default: 1, min: 0, max: 10_000, integer: false,
  },
  apply: (base, ctx) => {
    const delta = knob(ctx, 'mirageMs');
    return { ...base, holdMs: (_unit, _access, heldForMs) => Math.max(0, delta - heldForMs) };
  },
});
