/**
 * Dashboard overhead: the same guest under `unum run --nodes 2`, without a
 * dashboard and with one (plus a connected WebSocket client reading every
 * frame, map update and console byte), alternating, REPS times each.
 * The guest is jacobi (fixed work, halo rows shared across the two nodes,
 * so the page map keeps changing); its speed is the guest-timed run (RESULT
 * ticks), which spin-waiting cannot inflate. Prints medians and the ratio.
 * Run: `npm run bench -w @unum/bench -- dashboard` (after `npm run build`).
 * Knobs: UNUM_BENCH_DASH_REPS (3), UNUM_BENCH_DASH_MEM (4G: the dashboard's
 * cost bar is a 4 GiB guest), UNUM_BENCH_DASH_ARGS ('n=256 iters=60').
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { spreadOf } from '@unum/lab';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const UNUM = path.join(REPO, 'cli', 'bin', 'unum.js');
const REPS = Number(process.env.UNUM_BENCH_DASH_REPS ?? 3);
const MEM = process.env.UNUM_BENCH_DASH_MEM ?? '4G';
const ARGS = (process.env.UNUM_BENCH_DASH_ARGS ?? 'n=256 iters=60').split(' ');
const TIMEOUT_MS = 300_000;

interface Run { ticks: number; wallMs: number; faults: number; messages: number; wsBytes: number }

async function once(dashboard: boolean, dir: string, k: number): Promise<Run> {
  const stats = path.join(dir, `run-${dashboard ? 'dash' : 'plain'}-${k}.json`);
  const argv = [UNUM, 'run', path.join(REPO, 'guest/bin/jacobi.elf'), '--nodes', '2', '--vcpus', '2', '--mem', MEM, '--stats', stats,
    ...(dashboard ? ['--dashboard', '127.0.0.1:0'] : []), '--', ...ARGS];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const killer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  let err = '', ws: WebSocket | undefined, wsBytes = 0;
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    const m = /dashboard at http:\/\/(\S+)\//.exec(err);
    if (m && !ws) {
      ws = new WebSocket(`ws://${m[1]}/ws`);
      ws.on('message', (data: Buffer) => { wsBytes += data.length; });
      ws.on('error', () => undefined);
    }
  });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearTimeout(killer);
  ws?.terminate();
  if (code !== 0) throw new Error(`unum run exited ${code}:\n${err}`);
  const s = JSON.parse(readFileSync(stats, 'utf8')) as { wallMs: number; totals: { instret: string; readFaults: number; writeFaults: number; messages: number } };
  const ticks = /^RESULT .*\bticks=(\d+)/m.exec(out);
  if (!ticks) throw new Error(`no RESULT line:\n${out}`);
  return { ticks: Number(ticks[1]), wallMs: s.wallMs, faults: s.totals.readFaults + s.totals.writeFaults, messages: s.totals.messages, wsBytes };
}

const median = (xs: number[]): number => spreadOf(xs).median;

const dir = mkdtempSync(path.join(tmpdir(), 'unum-bench-dash-'));
try {
  console.log(`-- dashboard overhead: jacobi ${ARGS.join(' ')}, 2 nodes × 1 vCPU, --mem ${MEM}, ${REPS} runs each (alternating)`);
  const plain: Run[] = [], dash: Run[] = [];
  for (let k = 0; k < REPS; k++) {
    plain.push(await once(false, dir, k));
    dash.push(await once(true, dir, k));
  }
  const line = (name: string, runs: Run[]): void => console.log(
    `${name.padEnd(22)} ${(median(runs.map((r) => r.ticks)) / 1e4).toFixed(0).padStart(7)} ms guest-timed   wall ${median(runs.map((r) => r.wallMs)).toFixed(0).padStart(6)} ms` +
    `   faults ${median(runs.map((r) => r.faults))}   ws ${(median(runs.map((r) => r.wsBytes)) / 1024).toFixed(0)} KiB`);
  line('no dashboard', plain);
  line('dashboard + 1 client', dash);
  const ratio = median(dash.map((r) => r.ticks)) / median(plain.map((r) => r.ticks));
  const wall = median(dash.map((r) => r.wallMs)) / median(plain.map((r) => r.wallMs));
  console.log(`slowdown with the dashboard (guest-timed): ${ratio.toFixed(3)}x   wall-time ratio: ${wall.toFixed(3)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
