import type { FinishOutcome } from '@unum/machine';

/** How a VM ended: the guest's finisher (pass, fail with a code, reset), or stopped from outside with a reason. */
export type VmOutcome = FinishOutcome | { kind: 'stopped'; reason: string };

/** Process exit status: pass/reset 0, fail its code, stopped 1. */
export function exitCodeOf(outcome: VmOutcome): number {
  switch (outcome.kind) {
    case 'pass':
    case 'reset':
      return 0;
    case 'fail':
      return outcome.code & 0xff;
    case 'stopped':
      return 1;
  }
}

/** The one-line reason an outcome reports (empty for a pass or reset). */
export function reasonOf(outcome: VmOutcome): string {
  return outcome.kind === 'stopped' ? outcome.reason : outcome.kind === 'fail' ? `guest failed with ${outcome.code}` : '';
}
