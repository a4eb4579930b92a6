// A new DSM knob is its KnobSpec and nothing else: a toy variant in one file
// outside the tree (UNUM_DSM_MODULES) declares a knob, `unum run` gets its
// flag, checks its range, and the value arrives in the DsmNode of both
// agent processes (each node's stats report the knobs its variant got).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { UNUM_BIN, clusterUnavailableReason } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping the out-of-tree variant test: ${skip}`);
const TOY = fileURLToPath(new URL('./fixtures/toy-variant.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unum-variant-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unum = (args: string[], env: NodeJS.ProcessEnv = { UNUM_DSM_MODULES: TOY }) =>
  spawnSync(process.execPath, [UNUM_BIN, ...args], { encoding: 'utf8', timeout: 120_000, input: '', env: { ...process.env, ...env } });

describe.skipIf(skip !== undefined)('a DSM variant module with its own knob', () => {
  it('its knob is a flag, checked, and reaches the DsmNode on two agent processes', () => {
    const file = join(dir, 'toy.json');
    const r = unum(['run', guestElf('falseshare'), '--nodes', '2', '--vcpus', '2', '--mem', '64M', '--protocol', 'toy-dynamic',
      '--toy-level', '7', '--stats', file, '--', 'count=500', 'iters=1', 'mode=padded']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^RESULT name=falseshare .*verify=ok/m);
    const s = JSON.parse(readFileSync(file, 'utf8')) as { perNode: { dsm: { protocol: string; knobs: Record<string, number> } }[] };
    expect(s.perNode.map((n) => n.dsm)).toEqual([
      expect.objectContaining({ protocol: 'toy-dynamic', knobs: { toyLevel: 7 } }),
      expect.objectContaining({ protocol: 'toy-dynamic', knobs: { toyLevel: 7 } }),
    ]);
    expect(unum(['run', '--help']).stdout).toMatch(/--toy-level <n>\s+a toy knob/);
  }, 120_000);

  it('a bad value, or the module missing, is one line and exit 2', () => {
    const bad = unum(['run', guestElf('hello'), '--nodes', '2', '--protocol', 'toy-dynamic', '--toy-level', '12']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('unum: --toy-level must be an integer from 0 to 9, got 12\n');
    const missing = unum(['run', guestElf('hello')], { UNUM_DSM_MODULES: join(dir, 'nope.mjs') });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^unum: cannot load DSM variant module .*nope\.mjs: .*\n$/);
  }, 60_000);
});
