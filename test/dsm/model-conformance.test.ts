/**
 * Model → code conformance (docs/dsm.md "Model checking", "Conformance"):
 * spin's random runs of dsm/model/dsm.pml, replayed step by step against the
 * real DsmNode (dsm/src/testing/model-replay.ts), comparing every (node, unit)
 * state after every step; Mirage holds and evictions follow the model's
 * choices (EV_CHOICE). And the check can fail: a divergent variant on the
 * code side and one flipped transition in a scratch copy of the model are
 * both caught.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noSpin, pool, replayedConfigs, replaySeeds } from './replay-configs.js';
import { checkSeed, modelDir, protocolOf } from '../../dsm/src/testing/model-replay.js';

if (noSpin) console.log(`test/dsm/model-conformance.test.ts skipped: ${noSpin}`);

/** Every configuration (evictions with 2 nodes: the code picks the peer to push to by room, the model any). */
const replayed = replayedConfigs((c) => !(c.defines.EVICTS && c.defines.N > 2));
const seeds = replaySeeds('model');

describe.skipIf(!!noSpin)('DSM model and code agree (spin runs replayed against DsmNode)', () => {
  it(`replays ${seeds} random runs of each of ${replayed.length} configurations with no divergence`, async () => {
    const jobs = replayed.flatMap((c) => Array.from({ length: seeds }, (_, s) => ({ c, seed: s + 1 })));
    const t0 = performance.now();
    const results = await pool(jobs, async ({ c, seed }) => ({ c, seed, r: await checkSeed(c.defines, seed) }));
    const failed = results.filter(({ r }) => r.error).map(({ c, seed, r }) => `${c.name} (${protocolOf(c.defines).protocol}) seed ${seed}: ${r.error}`);
    expect(failed.join('\n\n')).toBe('');
    const steps = results.reduce((s, { r }) => s + r.steps, 0);
    const delivered = results.reduce((s, { r }) => s + r.delivered, 0);
    console.log(`model conformance: ${results.length} runs, ${steps} steps, ${delivered} messages, ${results.reduce((s, { r }) => s + r.compared, 0)} (node, unit) states compared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const covered: Record<string, number> = {};
    for (const { r } of results) for (const [k, v] of Object.entries(r.covered)) covered[k] = (covered[k] ?? 0) + v;
    console.log(`covered: ${Object.entries(covered).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const k of ['fault read', 'fault write', 'access', 'drain', 'unhold', 'choice yes', 'choice no', 'ask', 'credit yes', 'push', 'deliver REQ', 'deliver FWD',
      'deliver PAGE', 'deliver GRANT', 'deliver INV', 'deliver ACK', 'deliver UPD', 'deliver PREF', 'deliver RESERVE', 'deliver PUSH']) {
      expect(covered[k] ?? 0, `no ${k} in any run`).toBeGreaterThan(0);
    }
    // Every run did something: faults, messages, and each configuration moved ownership at least once.
    for (const { c, seed, r } of results) expect(r.steps, `${c.name} seed ${seed}`).toBeGreaterThan(5);
    expect(delivered).toBeGreaterThan(results.length * 3);
  }, 120_000);

  it('catches a code-side divergence: the code reads with ownership (own-read) where the model does not', async () => {
    const defines = { N: 2, U: 2, MGR: 2, OPS: 4 };
    const caught: string[] = [];
    for (let seed = 1; seed <= 8 && caught.length === 0; seed++) {
      const r = await checkSeed(defines, seed, { protocol: 'ivy-dynamic+own-read' });
      if (r.error) caught.push(r.error);
    }
    console.log(`code-side divergence caught: ${caught[0]}`);
    expect(caught).toHaveLength(1);
    // A remote read: the model's owner hands out a PAGE, the code a grant (or the states differ right after).
    expect(caught[0]).toMatch(/differs: .*(owner|rights|copyset)|next message from node \d to node \d is grant/);
  }, 60_000);

  it('catches a model-side divergence: one flipped transition in a scratch copy of the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unum-model-flip-'));
    try {
      cpSync(modelDir, dir, { recursive: true });
      const file = join(dir, 'dsm-handlers.pml');
      const src = readFileSync(file, 'utf8');
      // onInvalidate: the model's staleBelow becomes v + 2 instead of the code's v + 1.
      const flipped = src.replace('stale[x] < v + 1 -> stale[x] = v + 1', 'stale[x] < v + 2 -> stale[x] = v + 2');
      expect(flipped).not.toBe(src);
      writeFileSync(file, flipped);
      const defines = { N: 3, U: 2, MGR: 2, OPS: 3 };
      const errors: string[] = [];
      for (let seed = 1; seed <= 8 && errors.length === 0; seed++) {
        const r = await checkSeed(defines, seed, { model: join(dir, 'dsm.pml') });
        if (r.error) errors.push(r.error);
      }
      console.log(`model-side divergence caught: ${errors[0]}`);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/recv INV from node \d\): node \d unit \d differs: staleBelow model \d+ code \d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
