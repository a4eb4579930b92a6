import { registerModifier } from './registry.js';

/**
 * Write-update at page granularity for read-mostly units. A write still
 * revokes every copy first (that is what keeps SC, see docs/dsm.md), but the
 * owner remembers the sharers it revoked; when its write epoch ends (a read
 * request makes it downgrade) it pushes the new copy to all of them (`update`)
 * instead of letting each one fault and fetch it again.
 *
 * Per unit, this node keeps its update set (the sharers it revoked, only
 * while it owns the unit): filled when it revokes copies for a write, handed
 * on with ownership (`updateSet` in a grant or push), emptied into `update`s
 * when it serves a read copy.
 */
registerModifier({
  name: 'update',
  apply: (base, ctx) => {
    const updateSets = new Map<number, Set<number>>();
    const set = (unit: number) => {
      let s = updateSets.get(unit);
      if (!s) updateSets.set(unit, (s = new Set()));
      return s;
    };
    return {
      ...base,
      revoking(unit, nodes) {
        base.revoking?.(unit, nodes);
        for (const n of nodes) set(unit).add(n);
      },
      servedCopy(core, unit, e, data, requester) {
        base.servedCopy?.(core, unit, e, data, requester);
        // The write epoch ends (this owner just downgraded): the sharers it revoked get the new copy.
        for (const n of updateSets.get(unit) ?? []) {
          if (n === requester || n === ctx.self) continue;
          e.copyset.add(n);
          core.counters.updatesSent++;
          core.send(n, { type: 'update', unit, version: e.version, owner: ctx.self, data }, 'bulk'); // nobody waits on it
        }
        updateSets.delete(unit);
      },
      handingOver(core, unit, e, to, why) {
        const out = { ...base.handingOver?.(core, unit, e, to, why) };
        const updateSet = [...(updateSets.get(unit) ?? [])].filter((n) => n !== to);
        updateSets.delete(unit);
        if (updateSet.length > 0) out.updateSet = updateSet;
        return out;
      },
      receivedOwnership(core, unit, e, from, m) {
        base.receivedOwnership?.(core, unit, e, from, m);
        if (m.keepCopies) return; // a read grant: nothing revoked, nothing written
        // A grant's copyset is revoked now (and joins the sharers to update); a push's copies stay valid.
        const revoked = m.type === 'grant' ? m.copyset : [];
        updateSets.set(unit, new Set([...revoked, ...(m.updateSet ?? [])].filter((n) => n !== ctx.self)));
      },
    };
  },
});
