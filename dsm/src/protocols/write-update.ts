import { registerModifier } from './registry.js';

/**
 * Write-update at page granularity for read-mostly units. A write still
 * revokes every copy first (that is what keeps SC, see docs/dsm.md), but the
 * owner remembers the sharers it revoked; when its write epoch ends (a read
 * request makes it downgrade) it pushes the new copy to all of them (`update`)
 * instead of letting each one fault and fetch it again.
 */
registerModifier({
  name: 'update',
  apply: (base) => ({ ...base, writeUpdate: true }),
});
