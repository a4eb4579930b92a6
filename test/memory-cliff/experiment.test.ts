/**
 * `unum experiment memory-cliff` end to end on small sizes: every output
 * file is written, each run verified, and no swap file is left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UNUM_BIN, clusterUnavailableReason } from '../cluster/unum-runner.js';
import { REPO_ROOT } from '../guest/guest-paths.js';

const out = mkdtempSync(join(tmpdir(), 'unum-cliff-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(clusterUnavailableReason() !== undefined)('unum experiment memory-cliff', () => {
  it('runs (a), (b), (c) per size and writes csv, json, svg, png, table and summary', () => {
    const r = spawnSync(process.execPath, [UNUM_BIN, 'experiment', 'memory-cliff', '--workload', 'memscan', '--sizes', '2M,12M',
      '--node-mem', '8M', '--nodes', '2', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 400_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['results.csv', 'results.json', 'runtime.svg', 'runtime.png', 'table.md', 'summary.md']) expect(existsSync(join(out, f)), f).toBe(true);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: { kind: string; ok: boolean; checksum: string; sizeMiB: number; swapOuts: number }[] };
    expect(res.runs).toHaveLength(6);
    expect(res.runs.every((x) => x.ok)).toBe(true);
    for (const size of [2, 12]) expect(new Set(res.runs.filter((x) => x.sizeMiB === size).map((x) => x.checksum)).size).toBe(1);
    expect(res.runs.find((x) => x.kind === 'swap' && x.sizeMiB === 12)!.swapOuts).toBeGreaterThan(0);
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^config,kind,nodes,sizeMiB,/);
    expect(csv).toHaveLength(7);
    expect(readFileSync(join(out, 'runtime.svg'), 'utf8')).toMatch(/<svg/);
    const png = readFileSync(join(out, 'runtime.png'));
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const table = readFileSync(join(out, 'table.md'), 'utf8');
    expect(table).toMatch(/\| 12 MiB \|/);
    expect(table).not.toMatch(/failed/);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/Cliff: at 12 MiB/);
    expect(summary).toMatch(/\(b\)\/\(a\)/);
    expect(summary).not.toMatch(/NaN/);
    expect(readdirSync(out).filter((f) => f.startsWith('.runs-'))).toEqual([]); // scratch (swap files) removed
  }, 420_000);
});
