/**
 * The 64 bytes for /chosen/rng-seed. A free-running VM gets fresh host
 * entropy, as on QEMU; a lockstep VM (`--deterministic`) gets the same bytes
 * every run, since the seed feeds the guest kernel's RNG and a random one
 * would make two runs of one configuration differ (docs/determinism.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RunPolicy } from '../spec/vm-spec.js';

const LOCKSTEP_SEED = createHash('sha512').update('unum lockstep /chosen/rng-seed').digest();

export function fdtRngSeed(run: RunPolicy): Uint8Array {
  return run.kind === 'lockstep' ? new Uint8Array(LOCKSTEP_SEED) : randomBytes(64);
}
