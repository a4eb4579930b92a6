// `unum experiment protocols` end to end on tiny sizes: 2 workloads × 2
// protocols × 1 unit × 2 nodes, repeat 2, with --trace. Every output file
// exists with sane content. ~30 s on a loaded 2-core machine.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UNUM_BIN, clusterUnavailableReason } from '../cluster/unum-runner.js';
import { REPO_ROOT } from '../guest/guest-paths.js';
import { runProcess } from '../support/run-process.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping protocol lab test: ${skip}`);
const out = mkdtempSync(join(tmpdir(), 'unum-lab-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const WORKLOADS = ['falseshare', 'pingpong'];
const PROTOCOLS = ['ivy-central', 'ivy-dynamic+mirage'];

interface Results { failed: number; nondeterministic: number; checksumMismatches: number; runs: { id: string; workload: string; protocol: string; ok: boolean; checksum: string; guestMs: number; totals: { faults: number; messages: number }; perNode: { faults: number }[] }[] }

describe.skipIf(skip !== undefined)('unum experiment protocols', () => {
  it('runs the matrix and writes CSV, JSON, tables, plots, hot units, traces and a summary', async () => {
    const r = await runProcess(process.execPath, [UNUM_BIN, 'experiment', 'protocols', '--workloads', WORKLOADS.join(','), '--protocols', PROTOCOLS.join(','),
      '--units', '4K', '--nodes', '2', '--repeat', '2', '--size', 'tiny', '--trace', '--out', out],
    { cwd: REPO_ROOT, timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/8\/8 runs/);

    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^id,workload,args,protocol,unit,.*readFaults,writeFaults,faults,invalidations,messages,bytes,messagesPerFault,forwards,hops/);
    expect(csv).toHaveLength(1 + 8);

    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(json.runs).toHaveLength(8);
    expect(json.failed).toBe(0);
    expect(json.checksumMismatches).toBe(0);
    expect(typeof json.nondeterministic).toBe('number');
    for (const run of json.runs) {
      expect(run.ok).toBe(true);
      expect(run.checksum).toMatch(/^0x[0-9a-f]{16}$/);
      expect(run.guestMs).toBeGreaterThan(0);
      expect(run.totals.faults).toBeGreaterThan(0);
      expect(run.totals.messages).toBeGreaterThan(0); // 2 nodes: the workloads share pages
      expect(run.perNode).toHaveLength(2);
    }
    expect(new Set(json.runs.map((x) => `${x.workload} ${x.protocol}`)).size).toBe(4);

    const tables = readFileSync(join(out, 'tables.md'), 'utf8');
    for (const w of WORKLOADS) expect(tables).toContain(`## ${w}`);
    expect(tables).toMatch(/\| variant \| unit \| nodes \| latency \| runtime ms \(median ±spread\) \|.*\| read faults \| write faults \| invalidations \| messages \| bytes \| msgs\/fault \| forwards \| hops \| p50 µs \| p99 µs \|/);
    for (const p of PROTOCOLS) expect(tables).toMatch(new RegExp(`\\| ${p.replace('+', '\\+')} \\| 4K \\| 2 \\| 0 \\| [\\d.]+ ±\\d+% \\|`));

    for (const chart of ['runtime', 'messages-per-fault']) {
      const svg = readFileSync(join(out, `${chart}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg/);
      expect(svg).toContain('ivy-dynamic+mirage');
      const png = readFileSync(join(out, `${chart}.png`));
      expect(png.length).toBeGreaterThan(1000);
      expect(png.subarray(0, 8).equals(PNG)).toBe(true);
    }

    const hot = readFileSync(join(out, 'hot-pages.md'), 'utf8');
    expect(hot).toMatch(/\| unit \| GPA \| read faults \| write faults \| invalidations \| share of faults \|\n\|---:\|---\|/);
    expect(hot).toMatch(/\| \d+ \| 0x8[0-9a-f]{7} \| \d+ \| \d+ \|/);

    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    for (const w of WORKLOADS) expect(summary).toMatch(new RegExp(`${w} \\(4K, 2 nodes, latency 0\\): (${PROTOCOLS.join('|').replace(/\+/g, '\\+')}) wins`));
    expect(summary).toMatch(/Deterministic counters .* identical across repeats for/);
    expect(r.stdout).toBe(summary);

    // --from re-renders every report from results.json without running anything.
    const again = join(out, 'again');
    const re = await runProcess(process.execPath, [UNUM_BIN, 'experiment', 'protocols', '--from', join(out, 'results.json'), '--out', again], { timeout: 120_000 });
    expect(re.status, re.stderr).toBe(0);
    expect(readFileSync(join(again, 'summary.md'), 'utf8')).toBe(summary);
    expect(readFileSync(join(again, 'results.csv'), 'utf8')).toBe(readFileSync(join(out, 'results.csv'), 'utf8'));
    expect(readdirSync(again).sort()).toEqual(['hot-pages.md', 'messages-per-fault.png', 'messages-per-fault.svg', 'results.csv', 'results.json', 'runtime.png', 'runtime.svg', 'summary.md', 'tables.md']);

    // One trace line per fault: each node's file has exactly as many lines as its fault counters.
    const traces = readdirSync(join(out, 'trace'));
    expect(traces.sort()).toEqual(json.runs.map((x) => x.id).sort());
    for (const run of json.runs) {
      run.perNode.forEach((n, node) => {
        const f = join(out, 'trace', run.id, `node${node}.jsonl`);
        const lines = existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
        expect(lines.length, f).toBe(n.faults);
        for (const l of lines.slice(0, 50)) {
          const t = JSON.parse(l) as { node: number; unit: number; access: string; us: number; t: number };
          expect(t.node).toBe(node);
          expect(['read', 'write']).toContain(t.access);
          expect(t.unit).toBeGreaterThanOrEqual(0);
          expect(t.us).toBeGreaterThanOrEqual(0);
        }
      });
    }
  }, 600_000);

  it('refuses bad flags with one line and status 2 before running anything', async () => {
    for (const [flag, value, msg] of [['--protocols', 'ivy-nope', /unknown protocol 'ivy-nope'/], ['--units', '3K', /bad --units/],
      ['--workloads', 'doom', /unknown workload 'doom'/], ['--link-latency', '5 parsecs', /bad --link-latency/]] as const) {
      const r = await runProcess(process.execPath, [UNUM_BIN, 'experiment', 'protocols', flag, value, '--out', join(out, 'bad')], { timeout: 60_000 });
      expect(r.status, `${flag} ${value}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
    for (const [args, msg] of [
      [['--protocols', 'ivy-central,ivy-dynamic', '--mirage-ms', '1'], /^unum: --mirage-ms has no effect on any of --protocols \(only mirage reads it\)$/],
      [['--protocols', 'ivy-dynamic+mirage', '--mirage-ms', '0.5,-1'], /^unum: --mirage-ms must be a number from 0 to 10000, got -1$/],
      [['--protocols', 'ivy-dynamic+prefetch', '--prefetch-units', '4,x'], /^unum: bad --prefetch-units 'x': not a number$/],
    ] as const) {
      const r = await runProcess(process.execPath, [UNUM_BIN, 'experiment', 'protocols', ...args, '--out', join(out, 'bad')], { timeout: 60_000 });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(msg);
    }
    expect(existsSync(join(out, 'bad'))).toBe(false);
  });

  it('a --mirage-ms sweep runs each Δ as its own configuration, only for the protocols with mirage', async () => {
    const dir = join(out, 'sweep');
    const r = await runProcess(process.execPath, [UNUM_BIN, 'experiment', 'protocols', '--workloads', 'falseshare', '--protocols', 'ivy-dynamic,mirage+ivy-dynamic',
      '--mirage-ms', '0.25,2', '--units', '4K', '--nodes', '2', '--repeat', '2', '--size', 'tiny', '--out', dir],
    { cwd: REPO_ROOT, timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/6\/6 runs/); // ivy-dynamic once, ivy-dynamic+mirage once per Δ; 2 repeats each
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results & {
      runs: { variant: string; knobs: Record<string, number>; totals: { latencyP50Us: number; latencyP99Us: number } }[];
      determinism: { config: string; repeats: number }[];
    };
    expect(json.failed).toBe(0);
    expect(json.runs.map((x) => x.variant)).toEqual(['ivy-dynamic', 'ivy-dynamic', 'ivy-dynamic+mirage(Δ=0.25ms)', 'ivy-dynamic+mirage(Δ=0.25ms)',
      'ivy-dynamic+mirage(Δ=2ms)', 'ivy-dynamic+mirage(Δ=2ms)']);
    expect(json.runs.map((x) => x.knobs)).toEqual([{}, {}, { mirageMs: 0.25 }, { mirageMs: 0.25 }, { mirageMs: 2 }, { mirageMs: 2 }]);
    expect(json.determinism.map((d) => d.repeats)).toEqual([2, 2, 2]); // three configurations, Δ values not mixed
    for (const run of json.runs) expect(run.totals.latencyP99Us).toBeGreaterThanOrEqual(run.totals.latencyP50Us);

    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    const cols = csv[0]!.split(',');
    const at = (line: string, col: string) => line.split(',')[cols.indexOf(col)];
    expect(csv.slice(1).map((l) => at(l, 'mirageMs'))).toEqual(['', '', '0.25', '0.25', '2', '2']);

    const tables = readFileSync(join(dir, 'tables.md'), 'utf8');
    for (const v of ['ivy-dynamic', 'ivy-dynamic\\+mirage\\(Δ=0\\.25ms\\)', 'ivy-dynamic\\+mirage\\(Δ=2ms\\)']) {
      expect(tables).toMatch(new RegExp(`\\| ${v} \\| 4K \\| 2 \\| 0 \\| [\\d.]+ ±\\d+% \\|`));
    }
  }, 600_000);

  it('--deterministic: every configuration repeats its counters exactly, and the summary says so', async () => {
    const dir = join(out, 'lockstep');
    const protocols = ['ivy-central', 'ivy-dynamic+mirage', 'home-based'];
    const r = await runProcess(process.execPath, [UNUM_BIN, 'experiment', 'protocols', '--workloads', 'pingpong,lock', '--protocols', protocols.join(','),
      '--units', '4K', '--nodes', '2', '--repeat', '2', '--size', 'tiny', '--deterministic', '--quantum', '5000', '--out', dir],
    { cwd: REPO_ROOT, timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results & { quantum: number; determinism: { repeats: number; differing: unknown[] }[] };
    expect(json.failed).toBe(0);
    expect(json.quantum).toBe(5000);
    expect(json.determinism).toHaveLength(2 * protocols.length);
    for (const d of json.determinism) expect(d).toMatchObject({ repeats: 2, differing: [] });
    expect(json.nondeterministic).toBe(0);
    for (const run of json.runs) expect(run.totals.faults).toBeGreaterThan(0);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/identical across repeats for pingpong, lock/);
    expect(summary).toMatch(/lockstep mode \(quantum 5000 instructions\)/);
  }, 600_000);
});
