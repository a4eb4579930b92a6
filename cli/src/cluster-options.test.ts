import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { MachineError } from '@unum/coordinator';
import { addClusterOptions, vmRequestOf, type ClusterRunOptions } from './cluster-options.js';
import { UsageError } from './usage-error.js';

/** The options commander makes of `unum run` flags. */
function parse(...flags: string[]): ClusterRunOptions {
  const cmd = addClusterOptions(new Command().exitOverride());
  cmd.parse(['--nodes', '2', ...flags], { from: 'user' });
  return cmd.opts<ClusterRunOptions>();
}
const request = (...flags: string[]) => vmRequestOf(parse(...flags), 2, 64 << 20).request;
const refusal = (...flags: string[]): Error => {
  try {
    request(...flags);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`accepted ${flags.join(' ')}`);
};

describe('unum run DSM knob flags', () => {
  it('carry the set knobs, fractions for Δ, and nothing for unset ones', () => {
    expect(request('--protocol', 'ivy-dynamic+mirage', '--mirage-ms', '0.25').knobs).toEqual({ mirageMs: 0.25 });
    expect(request('--protocol', 'ivy-dynamic+prefetch', '--prefetch-units', '8').knobs).toEqual({ prefetchUnits: 8 });
    expect(request('--protocol', 'home-based+mirage', '--home-migrate-after', '1', '--mirage-ms', '0').knobs).toEqual({ homeMigrateAfter: 1, mirageMs: 0 });
    expect(request('--protocol', 'ivy-dynamic+mirage').knobs).toEqual({});
  });

  it('--protocol takes modifiers in any order and passes the canonical name on', () => {
    expect(request('--protocol', 'mirage+ivy-dynamic+prefetch').protocol).toBe('ivy-dynamic+prefetch+mirage');
    expect(refusal('--protocol', 'ivy-magic').message).toMatch(/^unknown DSM protocol 'ivy-magic': unknown part "ivy-magic" \(have: .*home-based\+mirage.*\)$/);
    expect(refusal('--protocol', 'ivy-dynamic+own-read+update')).toBeInstanceOf(MachineError);
  });

  it('refuse a bad value or a knob whose mechanism is not in --protocol with one UsageError line naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--protocol', 'ivy-dynamic+mirage', '--mirage-ms', 'soon'], /^bad --mirage-ms 'soon': not a number$/],
      [['--protocol', 'ivy-dynamic+mirage', '--mirage-ms', '-1'], /^--mirage-ms must be a number from 0 to 10000, got -1$/],
      [['--protocol', 'ivy-dynamic+prefetch', '--prefetch-units', '2.5'], /^--prefetch-units must be an integer from 1 to 64, got 2.5$/],
      [['--protocol', 'ivy-dynamic+prefetch', '--prefetch-units', '0'], /^--prefetch-units must be an integer from 1 to 64, got 0$/],
      [['--protocol', 'ivy-central', '--mirage-ms', '5'], /^--mirage-ms has no effect on DSM protocol "ivy-central" \(only mirage reads it\)$/],
      [['--mirage-ms', '5'], /^--mirage-ms has no effect on DSM protocol "ivy-dynamic"/],
      [['--protocol', 'ivy-dynamic+mirage', '--prefetch-units', '4'], /^--prefetch-units has no effect .* \(only prefetch reads it\)$/],
      [['--protocol', 'ivy-fixed', '--home-migrate-after', '2'], /^--home-migrate-after has no effect .* \(only home-based reads it\)$/],
    ];
    for (const [flags, msg] of cases) {
      const e = refusal(...flags);
      expect(e, flags.join(' ')).toBeInstanceOf(UsageError);
      expect(e.message, flags.join(' ')).toMatch(msg);
      expect(e.message).not.toContain('\n');
    }
  });
});
