/**
 * `unum experiment memory-cliff` end to end on small sizes: every output
 * file is written, each run verified, and no swap file is left behind.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UNUM_BIN, clusterUnavailableReason } from '../cluster/unum-runner.js';
import { REPO_ROOT } from '../guest/guest-paths.js';
import { runProcess } from '../support/run-process.js';

const out = mkdtempSync(join(tmpdir(), 'unum-cliff-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const cliff = (args: string[], dir: string) => runProcess(process.execPath, [UNUM_BIN, 'experiment', 'memory-cliff', ...args, '--out', dir],
  { cwd: REPO_ROOT, timeout: 400_000 });
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Runs { configurations: { kind: string; vcpus: number; command: string }[]; runs: { kind: string; ok: boolean; checksum: string; sizeMiB: number; vcpus: number; swapOuts: number; dsmFaults: number }[] }

describe.skipIf(clusterUnavailableReason() !== undefined)('unum experiment memory-cliff', () => {
  it('runs (a), (b), (c) per size and writes csv, json, svg, png, table and summary', async () => {
    const dir = join(out, 'memscan');
    const r = await cliff(['--workload', 'memscan', '--sizes', '4M,16M', '--node-mem', '8M', '--nodes', '2'], dir);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['results.csv', 'results.json', 'runtime.svg', 'runtime.png', 'table.md', 'summary.md']) expect(existsSync(join(dir, f)), f).toBe(true);
    const res = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Runs;
    expect(res.runs).toHaveLength(6);
    expect(res.runs.every((x) => x.ok && x.vcpus === 2)).toBe(true);
    for (const size of [4, 16]) expect(new Set(res.runs.filter((x) => x.sizeMiB === size).map((x) => x.checksum)).size).toBe(1);
    expect(res.runs.find((x) => x.kind === 'swap' && x.sizeMiB === 16)!.swapOuts).toBeGreaterThan(0);
    expect(res.runs.find((x) => x.kind === 'dsm' && x.sizeMiB === 16)!.dsmFaults).toBeGreaterThan(0);
    // Each configuration is spelled out with its flags: same vCPUs, (c) first-touch, one vCPU per node.
    expect(res.configurations.map((c) => c.kind)).toEqual(['baseline', 'swap', 'dsm']);
    expect(res.configurations.find((c) => c.kind === 'dsm')!.command).toMatch(/--nodes 2 --vcpus 2 .*--page-placement first-touch .*scope=local/);
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^config,kind,nodes,vcpus,sizeMiB,/);
    expect(csv).toHaveLength(7);
    expect(readFileSync(join(dir, 'runtime.svg'), 'utf8')).toMatch(/<svg/);
    const png = readFileSync(join(dir, 'runtime.png'));
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const table = readFileSync(join(dir, 'table.md'), 'utf8');
    expect(table).toMatch(/\| 16 MiB \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/Cliff: at 16 MiB .* \d+\.\d\dx slower/);
    expect(summary).toMatch(/\(b\)\/\(a\)/);
    expect(summary).toMatch(/Bars at working set = 2x node memory \(16 MiB\)/);
    expect(summary).toMatch(/\(c\)\/\(a\) = \d+\.\d\dx, bar at most 2x: (met|NOT met)/);
    expect(summary).not.toMatch(/NaN/);
    expect(readdirSync(dir).filter((f) => f.startsWith('.runs-'))).toEqual([]); // scratch (swap files) removed
  }, 420_000);

  it('runs hashjoin too', async () => {
    const dir = join(out, 'hashjoin');
    const r = await cliff(['--workload', 'hashjoin', '--sizes', '2M', '--node-mem', '8M', '--nodes', '2', '--vcpus', '1'], dir);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Runs;
    expect(res.runs.map((x) => x.ok)).toEqual([true, true, true]);
    expect(new Set(res.runs.map((x) => x.checksum)).size).toBe(1);
  }, 420_000);

  it('refuses --scope for hashjoin with one line', async () => {
    const r = await cliff(['--workload', 'hashjoin', '--sizes', '2M', '--node-mem', '8M', '--scope', 'local'], join(out, 'bad'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^unum: .*--scope: only memscan/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
