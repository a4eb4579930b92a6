/**
 * The spin model of the DSM (dsm/model/, docs/dsm.md "Model checking").
 * Default suite: the small configuration (safety and liveness), both seeded
 * bugs caught, bad input refused. Slow suite (UNUM_SLOW=1): every
 * configuration, as `npm run check:model` runs it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const script = new URL('../../scripts/check-model.mjs', import.meta.url).pathname;
const checkModel = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 3_600_000 });

const noSpin = spawnSync('spin', ['-V'], { encoding: 'utf8' }).error ? 'spin is not installed (apt-get install spin)' : undefined;
const notSlow = process.env.UNUM_SLOW ? undefined : 'slow suite: set UNUM_SLOW=1 (npm run test:slow) to model-check every configuration';
if (noSpin) console.log(`test/dsm/model-check.test.ts skipped: ${noSpin}`);
else if (notSlow) console.log(`test/dsm/model-check.test.ts, every configuration: skipped (${notSlow})`);

describe.skipIf(!!noSpin)('DSM model (spin)', () => {
  it('checks the small configuration: no violation, no deadlock, every fault resolved', () => {
    const r = checkModel('--quick');
    expect(r.stdout).toMatch(/^ok +dynamic-2x2 +exhaustive +states +\d+/m);
    expect(r.stdout).toMatch(/^ok +dynamic-2x2 +liveness +states +\d+/m);
    expect(r.status).toBe(0);
  }, 300_000);

  for (const bug of ['BUG_ACK_EARLY', 'BUG_NO_STALE']) {
    it(`catches the seeded bug ${bug} with a counterexample`, () => {
      const r = checkModel('--bug', bug);
      expect(r.stdout).toContain(`${bug}: caught`);
      expect(r.stdout).toMatch(/assertion violated \(\(cw<=1\)/); // the SWMR invariant
      expect(r.stdout).toMatch(/node \d unit \d: recv INV from node \d/);
      expect(r.status).toBe(0);
    }, 300_000);
  }

  it('refuses bad input with one line and exit 2', () => {
    const r = checkModel('no-such-config');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown configuration "no-such-config"');
  });

  it.skipIf(!!notSlow)('checks every configuration (npm run check:model)', () => {
    const r = checkModel();
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toMatch(/^model ok: \d+ configurations/m);
    expect(r.status).toBe(0);
  }, 3_600_000);
});
