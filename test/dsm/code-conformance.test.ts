/**
 * Code → model conformance (docs/dsm.md "Model checking", "Conformance"):
 * seeded-simulator runs of the real DsmNodes (dsm/src/testing/code-trace.ts),
 * Mirage holds and evictions with ownership push included, forced through
 * the Promela model step by step (dsm/src/testing/code-replay.ts, driver in
 * dsm/model/dsm-replay.pml), the model's state compared with the code's
 * after every step. And it can fail: a code-side variant swap and flipped
 * transitions in a scratch copy of the model are caught.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noSpin, pool, replayedConfigs, replaySeeds } from './replay-configs.js';
import { checkCodeSeed, type CodeReplayResult } from '../../dsm/src/testing/code-replay.js';
import { modelDir, protocolOf } from '../../dsm/src/testing/model-replay.js';

if (noSpin) console.log(`test/dsm/code-conformance.test.ts skipped: ${noSpin}`);

const replayed = replayedConfigs();
const seeds = replaySeeds('code');

/** The first divergence over seeds 1..max (undefined: none). */
async function firstError(defines: Record<string, number>, max: number, opts: Parameters<typeof checkCodeSeed>[2]): Promise<string | undefined> {
  for (let seed = 1; seed <= max; seed++) {
    const r: CodeReplayResult = await checkCodeSeed(defines, seed, opts);
    if (r.error) return r.error;
  }
  return undefined;
}

describe.skipIf(!!noSpin)('DSM code and model agree (seeded runs of DsmNode replayed in the model)', () => {
  it(`replays ${seeds} seeded runs of the code in each of ${replayed.length} configurations with no divergence`, async () => {
    const jobs = replayed.flatMap((c) => Array.from({ length: seeds }, (_, s) => ({ c, seed: s + 1 })));
    const t0 = performance.now();
    const results = await pool(jobs, async ({ c, seed }) => ({ c, seed, r: await checkCodeSeed(c.defines, seed) }));
    const failed = results.filter(({ r }) => r.error).map(({ c, seed, r }) => `${c.name} (${protocolOf(c.defines).protocol}) seed ${seed}: ${r.error}`);
    expect(failed.join('\n\n')).toBe('');
    const sum = (f: (r: CodeReplayResult) => number) => results.reduce((s, { r }) => s + f(r), 0);
    console.log(`code conformance: ${results.length} runs, ${sum((r) => r.steps)} code steps, ${sum((r) => r.modelSteps)} model steps, ${sum((r) => r.compared)} (node, unit) states compared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const covered: Record<string, number> = {};
    for (const { r } of results) for (const [k, v] of Object.entries(r.covered)) covered[k] = (covered[k] ?? 0) + v;
    console.log(`covered: ${Object.entries(covered).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const k of ['vcpu', 'resume', 'retry', 'drain', 'unhold', 'evict', 'choice yes', 'choice no', 'deliver REQ', 'deliver FWD', 'deliver PAGE',
      'deliver GRANT', 'deliver INV', 'deliver ACK', 'deliver UPD', 'deliver PREF', 'deliver RESERVE', 'deliver CREDIT', 'deliver PUSH', 'deliver PUSHED']) {
      expect(covered[k] ?? 0, `no ${k} in any run`).toBeGreaterThan(0);
    }
    for (const { c, seed, r } of results) expect(r.steps, `${c.name} seed ${seed}`).toBeGreaterThan(5);
  }, 180_000);

  it('catches a code-side divergence: the code reads with ownership (own-read) where the model does not', async () => {
    const err = await firstError({ N: 2, U: 2, MGR: 2, OPS: 4 }, 8, { protocol: 'ivy-dynamic+own-read' });
    console.log(`code-side divergence caught: ${err}`);
    // A remote read: the model's owner sends a PAGE where the code's sent a grant, or the states differ right after.
    expect(err).toMatch(/the model's next message on this link differs|differs: .*(owner|rights|copyset)/);
  }, 60_000);

  it('catches model-side divergences: flipped transitions in a scratch copy of the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unum-model-flip-'));
    /** The scratch copy with one transition changed (from the shipped model, so one change at a time). */
    const flip = (from: string, to: string) => {
      const file = join(dir, 'dsm-handlers.pml');
      const src = readFileSync(join(modelDir, 'dsm-handlers.pml'), 'utf8');
      expect(src).toContain(from);
      writeFileSync(file, src.replace(from, to));
    };
    try {
      cpSync(modelDir, dir, { recursive: true });
      const model = join(dir, 'dsm.pml');
      // onInvalidate: the model's staleBelow becomes v + 2 instead of the code's v + 1.
      flip('stale[x] < v + 1 -> stale[x] = v + 1', 'stale[x] < v + 2 -> stale[x] = v + 2');
      const stale = await firstError({ N: 3, U: 2, MGR: 2, OPS: 4 }, 8, { model });
      console.log(`model-side divergence caught (invalidation): ${stale}`);
      expect(stale).toMatch(/node \d unit \d differs: staleBelow model \d+ code \d+\n.*\n *deliver INV/);
      // onPush: the receiver of a pushed unit takes Write instead of Read (an ownership push replayed from the code).
      flip('  rights[x] = R;\n  expecting[x] = false;', '  rights[x] = W;\n  expecting[x] = false;');
      const push = await firstError({ N: 2, U: 3, MGR: 2, OPS: 6, EVICTS: 3 }, 12, { model });
      console.log(`model-side divergence caught (push): ${push}`);
      expect(push).toMatch(/node \d unit \d differs: rights model 2 code 1.*\n.*\n *deliver PUSH/);
      // onGrant: the new owner invalidates nobody; following the code, the model breaks SWMR (or has no invalidation to deliver).
      flip('  invalidate(n, u, others, v);\n  if\n  :: others == 0', '  others = 0;\n  if\n  :: others == 0');
      const inv = await firstError({ N: 3, U: 2, MGR: 2, OPS: 4 }, 8, { model });
      console.log(`model-side divergence caught (grant): ${inv}`);
      expect(inv).toMatch(/the model cannot follow: (SWMR|the model has no message in flight on this link): /);
      expect(inv).toMatch(/^ *> deliver (GRANT|INV)/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
