// `unum run --protocol … --mirage-ms/--prefetch-units/--home-migrate-after`:
// the knobs reach every agent's DsmNode (each node's --stats JSON reports the
// knobs in effect, defaults filled in), and bad ones are refused with one
// line and status 2 before any process starts; on a standing cluster
// (`unum run --cluster`) too, where Δ = 0 must arrive as 0, not as unset. ~20 s.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { runProcess } from '../support/run-process.js';
import { StandingCluster } from './standing-cluster.js';
import { UNUM_BIN, clusterUnavailableReason } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping DSM knob tests: ${skip}`);
const dir = mkdtempSync(join(tmpdir(), 'unum-knobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unum = (args: string[]) => runProcess(process.execPath, [UNUM_BIN, 'run', guestElf('falseshare'), ...args], { timeout: 120_000 });

interface Stats { protocol: string; perNode: { node: number; dsm: { protocol: string; knobs: Record<string, number>; faultLatencyUs: { count: number; buckets: Record<string, number> } } }[] }

describe.skipIf(skip !== undefined)('DSM protocol knobs on unum run', () => {
  it.each([
    ['mirage+ivy-dynamic', ['--mirage-ms', '0.25'], 'ivy-dynamic+mirage', { mirageMs: 0.25 }],
    ['home-based+mirage', ['--home-migrate-after', '1'], 'home-based+mirage', { homeMigrateAfter: 1, mirageMs: 1 }],
    ['ivy-dynamic+prefetch', [], 'ivy-dynamic+prefetch', { prefetchUnits: 4 }],
  ] as const)('--protocol %s %j: every node runs the canonical variant with those knobs', async (protocol, flags, canonical, knobs) => {
    const file = join(dir, `${canonical}.json`);
    const r = await unum(['--nodes', '2', '--vcpus', '2', '--mem', '64M', '--protocol', protocol, ...flags, '--stats', file, '--', 'count=500', 'iters=1', 'mode=padded']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^RESULT name=falseshare .*verify=ok/m);
    const s = JSON.parse(readFileSync(file, 'utf8')) as Stats;
    expect(s.protocol).toBe(canonical);
    expect(s.perNode).toHaveLength(2);
    for (const n of s.perNode) {
      expect(n.dsm.protocol).toBe(canonical);
      expect(n.dsm.knobs).toEqual(knobs);
      // the latency histogram that lets the lab merge percentiles across nodes
      expect(Object.values(n.dsm.faultLatencyUs.buckets).reduce((a, b) => a + b, 0)).toBe(n.dsm.faultLatencyUs.count);
    }
  }, 120_000);

  it.each([
    [['--nodes', '2', '--protocol', 'ivy-central', '--mirage-ms', '5'], /^unum: --mirage-ms has no effect on DSM protocol "ivy-central" \(only mirage reads it\)$/],
    [['--nodes', '2', '--protocol', 'ivy-dynamic+prefetch', '--prefetch-units', '0'], /^unum: --prefetch-units must be an integer from 1 to 64, got 0$/],
    [['--nodes', '2', '--protocol', 'home-based', '--home-migrate-after', 'x'], /^unum: bad --home-migrate-after 'x': not a number$/],
    [['--protocol', 'ivy-dynamic+mirage', '--mirage-ms', '2'], /^unum: --mirage-ms tunes the DSM, which runs with --nodes or --cluster$/],
  ])('%j: status 2, one line', async (args, msg) => {
    const r = await unum(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(msg);
  });

  it('--cluster: the knobs travel in CreateVmRequest to the standing cluster\'s agents', async () => {
    const c = await StandingCluster.start({ agents: 2 });
    try {
      const file = join(dir, 'standing.json');
      const r = await promisify(execFile)(process.execPath, [UNUM_BIN, 'run', guestElf('falseshare'), '--cluster', `127.0.0.1:${c.port}`, '--vcpus', '2',
        '--mem', '64M', '--protocol', 'home-based+mirage', '--mirage-ms', '0', '--home-migrate-after', '7', '--stats', file, '--',
        'count=500', 'iters=1', 'mode=padded'], { env: { ...process.env, UNUM_TOKEN: c.token }, timeout: 120_000 });
      expect(r.stdout).toMatch(/^RESULT name=falseshare .*verify=ok/m);
      const s = JSON.parse(readFileSync(file, 'utf8')) as Stats;
      expect(s.perNode.map((n) => n.dsm.knobs)).toEqual([{ homeMigrateAfter: 7, mirageMs: 0 }, { homeMigrateAfter: 7, mirageMs: 0 }]);
    } finally {
      await c.stop();
    }
  }, 120_000);
});
