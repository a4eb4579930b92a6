/** A cluster run that could not go ahead (agent missing, node lost while building): one line, exit 1. */
import { ElfError, MachineError } from '@unum/coordinator';

export class ClusterRunError extends Error {
  override readonly name = 'ClusterRunError';

  /** Bad input stays what it is (exit 2); anything else becomes a ClusterRunError. */
  static wrap(e: unknown): Error {
    if (e instanceof MachineError || e instanceof ElfError || e instanceof ClusterRunError) return e;
    return new ClusterRunError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}
