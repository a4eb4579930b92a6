// unum run --profile-dsm FILE --symbols ELF, end to end on 2 agent processes:
// the report's sums equal the run's own counters (every message and byte the
// nodes sent, every fault a hart took), the hot unit and the faulting function
// are named by the guest's symbols, the tables go to stderr and the chart
// beside the file; bad flags are one line and exit 2.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterStats } from '@unum/protos/stats';
import type { ProfileReport } from '@unum/lab';
import { guestElf } from '../guest/guest-paths.js';
import { clusterUnavailableReason, runUnum } from './unum-runner.js';

const skip = clusterUnavailableReason();
const dir = mkdtempSync(path.join(tmpdir(), 'profile-dsm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skip)('unum run --profile-dsm', () => {
  it('attributes the pingpong traffic to its mailbox unit and to play(), summing to the run\'s counters', async () => {
    const file = path.join(dir, 'pp.json');
    const statsFile = path.join(dir, 'stats.json');
    const r = await runUnum(guestElf('pingpong'), {
      vcpus: 2, nodes: 2, append: 'rounds=200', timeoutMs: 120_000,
      flags: ['--profile-dsm', file, '--symbols', guestElf('pingpong'), '--stats', statsFile],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(file, 'utf8')) as ProfileReport;
    const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as ClusterStats;
    // Every message and byte the nodes sent is some unit's. The profile counts hart stops: every DSM fault
    // but the boot loads is one, and a hart that stopped while another hart of its node got the right counts too.
    expect(report.totals.messages).toBe(stats.totals!.messages);
    expect(report.totals.bytes).toBe(stats.totals!.bytes);
    const bootUnits = stats.perNode.reduce((a, n) => a + n.bootUnits, 0);
    expect(report.totals.readFaults + report.totals.writeFaults).toBeGreaterThanOrEqual(stats.totals!.readFaults + stats.totals!.writeFaults - bootUnits);
    // The ball: one unit takes most of the faults, from both nodes, in play().
    const [top] = report.pages;
    expect(top!.readFaults + top!.writeFaults).toBeGreaterThan(0.8 * (report.totals.readFaults + report.totals.writeFaults));
    expect(top!.byNode.every((n) => n > 100)).toBe(true);
    expect(report.functions[0]!.symbol).toBe('play');
    expect(report.pages.some((p) => p.symbols.includes('main'))).toBe(true); // the image's own pages are named
    expect(r.stderr).toMatch(/DSM profile: [\d,]+ faults/);
    expect(r.stderr).toContain('top 15 faulting functions');
    expect(r.stderr).toMatch(/\| play \| [\d,]+ \|/);
    expect(existsSync(path.join(dir, 'pp.png')) && existsSync(path.join(dir, 'pp.svg'))).toBe(true);
  }, 150_000);

  it('bad --symbols, or --symbols alone: one line and exit 2 before anything starts', async () => {
    const bad = await runUnum(guestElf('hello'), { vcpus: 1, nodes: 2, flags: ['--profile-dsm', path.join(dir, 'x.json'), '--symbols', path.join(dir, 'missing.map')] });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/cannot read --symbols .*missing\.map: ENOENT/)]);
    const alone = await runUnum(guestElf('hello'), { vcpus: 1, flags: ['--symbols', guestElf('hello')] });
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toMatch(/--symbols .* use it with --profile-dsm/);
  }, 60_000);
});
