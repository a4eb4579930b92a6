import { knob, registerProtocol } from './registry.js';

/**
 * Home-based with home migration (after Cashmere). Every unit has a home
 * (initially u mod N) that serves all its faults and keeps the master copy: a
 * remote writer gives the unit back to the home (a recall) before anyone else
 * gets it. The home counts write faults per node; when one node has written
 * `homeMigrateAfter` (default 3) times more than the home itself since the last
 * migration, the home moves there with the next write grant. Other nodes learn
 * the new home from the next reply; a request sent to an old home is forwarded.
 */
registerProtocol('home-based', (ctx) => {
  const threshold = knob(ctx, 'homeMigrateAfter');
  const homes = new Map<number, number>();
  const writes = new Map<number, Map<number, number>>();
  const homeOf = (unit: number) => homes.get(unit) ?? unit % ctx.nodes;
  return {
    name: 'home-based',
    manager: homeOf,
    home: (unit) => unit % ctx.nodes,
    homeBased: {
      noteWrite(unit, writer) {
        let w = writes.get(unit);
        if (!w) writes.set(unit, (w = new Map()));
        w.set(writer, (w.get(writer) ?? 0) + 1);
        if (writer === ctx.self || (w.get(writer) ?? 0) - (w.get(ctx.self) ?? 0) < threshold) return false;
        writes.delete(unit);
        return true;
      },
      moveHome(unit, node) {
        homes.set(unit, node);
        if (node !== ctx.self) writes.delete(unit);
      },
    },
  };
}, ['mirage'], {
  name: 'homeMigrateAfter', flag: 'home-migrate-after', help: 'writes by one node beyond the home\'s own before the home moves to it',
  label: (v) => `migrate after ${v}`, default: 3, min: 1, max: 1_000_000, integer: true,
});
