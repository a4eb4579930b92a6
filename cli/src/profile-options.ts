/**
 * `--profile-dsm FILE` and `--symbols System.map|vmlinux` of `unum run`:
 * the flag itself travels in the VmSpec (every node profiles); what the CLI
 * needs at the end (where to write, the symbols, the boot pieces that say
 * where the kernel sits) is read here before the run, so a bad symbols file
 * is one line and exit 2 before any agent starts.
 */
import { bootLayoutOf, type BootSpec } from '@unum/coordinator';
import { loadSymbols, type ProfileOutput } from '@unum/lab';
import { UsageError } from './usage-error.js';

export interface ProfileCliOptions {
  profileDsm?: string;
  symbols?: string;
}

export function profileOutputOf(o: ProfileCliOptions, boot: BootSpec, vm: { vcpus: number; memBytes: number }): ProfileOutput | undefined {
  if (o.profileDsm === undefined) {
    if (o.symbols !== undefined) throw new UsageError('--symbols names the profile\'s kernel symbols: use it with --profile-dsm FILE');
    return undefined;
  }
  let symbols: ProfileOutput['symbols'];
  try {
    symbols = o.symbols === undefined ? undefined : loadSymbols(o.symbols);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const regions = bootLayoutOf(boot, vm).pieces.map((p) => ({ what: p.what, gpa: p.gpa, size: p.size }));
  return { file: o.profileDsm, symbols, regions };
}
