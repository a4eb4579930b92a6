// Lockstep (deterministic) mode, `unum run --deterministic` (docs/determinism.md):
// guests stay correct (atomics, SC litmus), and two runs of one configuration
// give identical DSM counters, instruction counts and guest-measured (virtual)
// time, also with two harts on one node and with Mirage holds that park
// faults on the virtual clock.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { GUEST_CASES, checkLitmus } from './guest-checks.js';
import { clusterUnavailableReason, killAllUnum, runUnum, type UnumRunOptions } from './unum-runner.js';

const why = clusterUnavailableReason();
const dir = mkdtempSync(join(tmpdir(), 'unum-lockstep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

interface Stats {
  lockstep?: { quantum: number; quanta: number; resolved: number; parked: number };
  perNode: Array<{ instret: Record<string, string>; dsm: Record<string, unknown> }>;
}

/** Run under lockstep; the stats file as JSON. */
async function lockstep(elf: string, o: UnumRunOptions): Promise<{ stdout: string; stats: Stats; ticks: string }> {
  const file = join(dir, `run${++runs}.json`);
  const r = await runUnum(guestElf(elf), { ...o, flags: ['--deterministic', '--stats', file, ...(o.flags ?? [])], timeoutMs: 150_000 });
  expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
  const ticks = /^RESULT .* ticks=(\d+)/m.exec(r.stdout)?.[1] ?? '';
  return { stdout: r.stdout, stats: JSON.parse(readFileSync(file, 'utf8')) as Stats, ticks };
}

/** What must repeat exactly: per node, every DSM counter (not latency) and every hart's instructions. */
function deterministicPart(s: Stats): unknown {
  return s.perNode.map((n) => {
    const { faultLatencyUs: _latency, ...dsm } = n.dsm;
    return { instret: n.instret, dsm };
  });
}

describe.skipIf(why)('lockstep mode', () => {
  afterAll(killAllUnum);

  it('t-atomics totals and t-litmus (no SC-forbidden outcome) hold across 3 nodes', async () => {
    const atomics = GUEST_CASES.find((g) => g.name === 't-atomics')!;
    const a = await lockstep('t-atomics', { nodes: 3, vcpus: 3, append: atomics.args.unum });
    atomics.check({ stdout: a.stdout, stderr: '', exitCode: 0, timedOut: false }, 3, atomics.args.unum);
    expect(a.stats.lockstep!.quanta).toBeGreaterThan(0);
    expect(a.stats.lockstep!.resolved).toBeGreaterThan(0);
    const litmus = 'shapes=sb,mp,wrc iters=10 sc=1';
    const l = await lockstep('t-litmus', { nodes: 3, vcpus: 3, protocol: 'ivy-central', append: litmus });
    checkLitmus({ stdout: l.stdout, stderr: '', exitCode: 0, timedOut: false }, litmus);
  }, 300_000);

  it('repeats exactly: two harts on one node plus one on another', async () => {
    const o: UnumRunOptions = { nodes: 2, vcpus: 3, placement: '0,0,1', protocol: 'ivy-fixed', append: 'n=32 iters=1', flags: ['--quantum', '5000'] };
    const first = await lockstep('jacobi', o);
    const second = await lockstep('jacobi', o);
    expect(first.stats.lockstep!.resolved).toBeGreaterThan(10);
    expect(deterministicPart(second.stats)).toEqual(deterministicPart(first.stats));
    expect(first.ticks).toMatch(/^\d+$/);
    expect(second.ticks).toBe(first.ticks); // the guest's own timing, on the virtual clock
    expect(first.stats.lockstep).toMatchObject({ quantum: 5000 });
  }, 300_000);

  it('repeats exactly with Mirage holds parked on the virtual clock', async () => {
    const o: UnumRunOptions = { nodes: 2, vcpus: 2, protocol: 'ivy-dynamic+mirage', unit: '64K', append: 'count=20000 iters=1 mode=shared' };
    const first = await lockstep('falseshare', o);
    const second = await lockstep('falseshare', o);
    expect(first.stats.lockstep!.parked).toBeGreaterThan(0);
    const holds = first.stats.perNode.reduce((a, n) => a + (n.dsm.holds as number), 0);
    expect(holds).toBeGreaterThan(0);
    expect(deterministicPart(second.stats)).toEqual(deterministicPart(first.stats));
  }, 300_000);

  it('a bad --quantum is one line and exit 2', async () => {
    const r = await runUnum(guestElf('hello'), { vcpus: 1, flags: ['--quantum', '5'] });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--quantum/);
  }, 60_000);
});
