// Many harts on one node (`unum run hello.elf --vcpus 64` took 47 s and
// 940 MiB): every hart is a worker thread, so what one worker loads is paid
// 64 times, and 64 spinning harts on a few host cores must not starve the
// main thread that answers their MMIO (each UART character is an LSR read).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, guestElf } from '../guest/guest-paths.js';
import { UNUM_BIN } from './unum-runner.js';
import { waitFor } from './standing-cluster.js';

/** Every module URL a vCPU worker loads (a module hook, preloaded in every thread, logs them; the worker then fails on its empty workerData). */
function workerModules(): string[] {
  const hook = `export async function load(u, c, next) { process._rawDebug('LOADED ' + u); return next(u, c); }`;
  const preload = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
  const worker = pathToFileURL(path.join(REPO_ROOT, 'node-agent/dist/vcpu-worker.js')).href;
  const main = `const { Worker } = require('node:worker_threads'); new Worker(new URL(${JSON.stringify(worker)}), { workerData: {} }).on('error', () => {});`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, '-e', main], { encoding: 'utf8', timeout: 30_000 });
  return r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
}

/** Nice values of a process's threads (field 19 of /proc/PID/task/TID/stat), main thread first. */
function threadNices(pid: number): number[] {
  const tids = readdirSync(`/proc/${pid}/task`).map(Number).sort((a, b) => a - b);
  return tids.flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/** A one-node `unum run` of t-uart printing for a long time; the nice values of its threads once it prints. */
async function nicesWhilePrinting(vcpus: number): Promise<number[]> {
  const child = spawn(process.execPath, [UNUM_BIN, 'run', guestElf('t-uart'), '--vcpus', String(vcpus), '--mem', '64M', '--', 'lines=10000000'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString().slice(-200); });
  try {
    await waitFor('the guest to print', 60_000, () => (out.includes('line=') ? true : undefined));
    return threadNices(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

describe('many harts on one node', () => {
  it('a vCPU worker loads neither the DSM nor gRPC, protobuf or pino', () => {
    const urls = workerModules();
    expect(urls.some((u) => u.endsWith('/node-agent/dist/vcpu-worker.js'))).toBe(true);
    expect(urls.filter((u) => /\/dsm\/dist\/|@grpc|@bufbuild|\/pino\/|\/protos\/dist\//.test(u))).toEqual([]);
  }, 60_000);

  const cores = availableParallelism();
  it(`more harts than host cores (${cores}): the hart threads run at nice 10, the main thread at 0`, async () => {
    const nices = await nicesWhilePrinting(cores + 1);
    expect(nices[0]).toBe(0);
    expect(nices.filter((n) => n === 10).length).toBeGreaterThanOrEqual(cores + 1);
  }, 90_000);

  it.skipIf(cores < 2)('fewer harts than host cores: nobody is reniced', async () => {
    const nices = await nicesWhilePrinting(1);
    expect(nices.filter((n) => n !== 0)).toEqual([]);
  }, 90_000);
});
