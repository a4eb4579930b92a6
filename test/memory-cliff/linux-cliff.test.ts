/**
 * `unum experiment linux-cliff` (docs/memory-cliff.md, "Linux as the guest").
 * Default suite: the initrd the experiment boots (committed initramfs + a
 * second cpio with unum-swapon) and the one-line usage errors. Linux boots
 * three times per size (one of them on 2 nodes), minutes on this shared
 * machine, so the end-to-end run is in the slow suite (UNUM_SLOW=1): every
 * run verified with one checksum, (b) has swap in use inside the guest, (c) took DSM
 * faults, every output written, no scratch or swap file left.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UNUM_BIN, clusterUnavailableReason } from '../cluster/unum-runner.js';
import { REPO_ROOT } from '../guest/guest-paths.js';
import { LINUX_INITRD, linuxGuestMissing } from '../support/linux-guest.js';

const out = mkdtempSync(join(tmpdir(), 'unum-linux-cliff-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, [UNUM_BIN, 'experiment', 'linux-cliff', ...args],
  { cwd: REPO_ROOT, encoding: 'utf8', timeout: 1_500_000 });
/** The same, without blocking the worker for minutes (vitest's RPC would time out). */
const runAsync = (args: string[]) => new Promise<{ status: number | null; stderr: string }>((resolve) => {
  execFile(process.execPath, [UNUM_BIN, 'experiment', 'linux-cliff', ...args], { cwd: REPO_ROOT, timeout: 1_500_000 },
    (e, _stdout, stderr) => resolve({ status: e ? (typeof e.code === 'number' ? e.code : null) : 0, stderr }));
});
const noCross = spawnSync('riscv64-linux-gnu-gcc', ['--version']).status === 0 ? undefined : 'no riscv64-linux-gnu-gcc';
const missing = linuxGuestMissing() ?? noCross ?? clusterUnavailableReason();
const slow = process.env.UNUM_SLOW ? undefined : 'set UNUM_SLOW=1 for the Linux memory cliff end to end (three Linux boots, minutes)';
if (missing) console.warn(`skipping linux-cliff: ${missing}`);

describe.skipIf(missing !== undefined)('unum experiment linux-cliff', () => {
  it('make-swap-initrd.sh: the committed initramfs unchanged, then a 4-byte-aligned cpio holding bin/unum-swapon', () => {
    const initrd = join(out, 'initrd');
    const r = spawnSync(join(REPO_ROOT, 'guest/linux/swap/make-swap-initrd.sh'), [initrd], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const base = readFileSync(LINUX_INITRD);
    const all = readFileSync(initrd);
    expect(all.subarray(0, base.length).equals(base)).toBe(true);
    const start = Math.ceil(base.length / 4) * 4;
    expect(all.subarray(base.length, start).every((b) => b === 0)).toBe(true);
    expect(all.subarray(start, start + 6).toString('latin1')).toBe('070701');
    const list = spawnSync('cpio', ['-t', '--quiet'], { input: all.subarray(start), encoding: 'utf8' });
    expect(list.stdout.trim().split('\n')).toEqual(['bin', 'bin/unum-swapon']);
  });

  it('bad flags are one line and exit 2', () => {
    for (const args of [['--sizes', '64M', '--node-mem', '48M', '--kernel', join(out, 'none'), '--out', out],
      ['--sizes', '64M', '--node-mem', '1000K', '--out', out], ['--sizes', '64M', '--node-mem', '48M', '--nodes', '1', '--out', out]]) {
      const r = run(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    }
  });

  it.skipIf(slow !== undefined)('(a), (b) with Linux swap on virtio-blk, (c) on 2 nodes: verified runs, csv, json, svg, png, table, summary', async () => {
    const dir = join(out, 'run');
    const r = await runAsync(['--sizes', '40M', '--node-mem', '48M', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['results.csv', 'results.json', 'runtime.svg', 'runtime.png', 'table.md', 'summary.md']) expect(existsSync(join(dir, f)), f).toBe(true);
    const res = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      runs: { kind: string; ok: boolean; checksum: string; guestSwapUsedKiB: number; dsmFaults: number; nodes: number }[];
    };
    expect(res.runs.map((x) => x.kind)).toEqual(['baseline', 'linux-swap', 'dsm']);
    expect(res.runs.every((x) => x.ok)).toBe(true);
    expect(new Set(res.runs.map((x) => x.checksum)).size).toBe(1);
    const [a, b, c] = res.runs;
    expect(a!.guestSwapUsedKiB).toBe(0);
    expect(b!.guestSwapUsedKiB).toBeGreaterThan(0);
    expect(c!.nodes).toBe(2);
    expect(c!.dsmFaults).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/n = 1 run per point/);
    expect(summary).toMatch(/\| 40 MiB \| [\d.]+x \| [\d.]+x \| [\d.]+x \|/);
    expect(summary).toContain('TidalScale');
    expect(readdirSync(dir).filter((f) => f.startsWith('.runs-'))).toEqual([]);
  }, 1_600_000);
});
