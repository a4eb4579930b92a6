import { registerModifier } from './registry.js';

/**
 * Ownership on read (GiantVM): a read fault also transfers ownership, so the
 * reader gets Write at once and a read-then-write costs one fault. Readers
 * never share: every read by another node moves the unit again.
 */
registerModifier({
  name: 'own-read',
  excludes: ['update'],
  apply: (base) => ({ ...base, readTransfersOwnership: () => true }),
});
