import { newPending } from '../unit-entry.js';
import { knob, registerProtocol } from './registry.js';

/**
 * Home-based with home migration (after Cashmere). Every unit has a home
 * (initially u mod N) that serves all its faults and keeps the master copy: a
 * remote writer gives the unit back to the home (a recall) before anyone else
 * gets it. The home counts write faults per node; when one node has written
 * `homeMigrateAfter` (default 3) times more than the home itself since the last
 * migration, the home moves there with the next write grant. Other nodes learn
 * the new home from the next reply; a request sent to an old home is forwarded.
 *
 * The mechanism is hooks on the IVY core (protocol.ts): the home replaces the
 * manager step (`routeRequest`), recalls (`unownedRequest`), and moves
 * (`handingOver`, `receivedOwnership`, `copyInstalled`).
 */
registerProtocol('home-based', (ctx) => {
  const threshold = knob(ctx, 'homeMigrateAfter');
  const homes = new Map<number, number>();
  const writes = new Map<number, Map<number, number>>();
  const homeOf = (unit: number) => homes.get(unit) ?? unit % ctx.nodes;
  const isHome = (unit: number) => homeOf(unit) === ctx.self;
  /** At the home, for every write fault it handles (its own or a remote one): true = migrate the home to `writer`. */
  const noteWrite = (unit: number, writer: number): boolean => {
    let w = writes.get(unit);
    if (!w) writes.set(unit, (w = new Map()));
    w.set(writer, (w.get(writer) ?? 0) + 1);
    if (writer === ctx.self || (w.get(writer) ?? 0) - (w.get(ctx.self) ?? 0) < threshold) return false;
    writes.delete(unit);
    return true;
  };
  /** This node learned that `unit`'s home is `node` (itself after a migration to it). */
  const moveHome = (unit: number, node: number): void => {
    homes.set(unit, node);
    if (node !== ctx.self) writes.delete(unit);
  };
  return {
    name: 'home-based',
    manager: homeOf,
    home: (unit) => unit % ctx.nodes,
    pushable: () => false, // the home keeps the master copy
    localFault(unit, access) {
      if (access === 'write' && isHome(unit)) noteWrite(unit, ctx.self);
    },
    routeRequest(core, unit, e, m) {
      const home = homeOf(unit);
      if (m.type === 'request' && home !== ctx.self) return void core.forward(home, m, 'request'); // an old home: pass it on to the home we know
      if (home === ctx.self && m.requester === ctx.self && !e.owner) return void core.forward(e.mgrOwner, m); // the home's own fault: a recall
      return m;
    },
    unownedRequest(core, unit, e, m) {
      if (!isHome(unit)) return false;
      // A remote node owns the unit: get it back (for `m.access`), then answer `m`.
      core.counters.recalls++;
      e.pending = newPending(m.access);
      core.defer(e, m);
      core.send(e.mgrOwner, { type: 'forward', unit, access: m.access, requester: ctx.self, hops: m.hops + 1 });
      return true;
    },
    faultsOwn: isHome,
    readGrant: (unit) => !isHome(unit), // a recall: the unit goes home, the old writer keeps Read
    handingOver(core, unit, e, to, why) {
      if (!isHome(unit)) return {};
      const migrate = why === 'write' && noteWrite(unit, to);
      e.mgrOwner = to;
      if (!migrate) return {};
      moveHome(unit, to);
      core.counters.homeMigrations++;
      return { home: true };
    },
    receivedOwnership(_core, unit, e, from, m) {
      if (m.home) moveHome(unit, ctx.self);
      else if (!isHome(unit)) moveHome(unit, from); // grants to non-homes come from the home
      e.mgrOwner = ctx.self; // a home-based owner is the home (recall) or, after a migration, the new home
    },
    copyInstalled(unit, owner) {
      if (!isHome(unit)) moveHome(unit, owner); // copies come from the home
    },
  };
}, ['mirage'], {
  name: 'homeMigrateAfter', flag: 'home-migrate-after', help: 'writes by one node beyond the home\'s own before the home moves to it',
  label: (v) => `migrate after ${v}`, default: 3, min: 1, max: 1_000_000, integer: true,
});
