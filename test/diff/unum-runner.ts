/**
 * Runs a guest ELF under unum (`coordinator/bin/unum.js run`, needs
 * `npm run build`), with the same options and result shape as
 * test/support/qemu.ts's runQemu, so differential tests can call either.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runQemu, type QemuRunOptions, type QemuRunResult } from '../support/qemu.js';
import { REPO_ROOT } from './toolchain.js';

const UNUM_BIN = path.join(REPO_ROOT, 'coordinator/bin/unum.js');
const HELLO = path.join(REPO_ROOT, 'guest/bin/hello.elf');

let cachedReason: string | undefined | null = null;

/** Why `unum run` can't run guests here (not built, engine not working), or undefined. */
export function unumUnavailableReason(): string | undefined {
  if (cachedReason !== null) return cachedReason;
  if (!existsSync(path.join(REPO_ROOT, 'coordinator/dist/cli/main.js'))) {
    return (cachedReason = 'unum is not built (run npm run build)');
  }
  const r = spawnSync(process.execPath, [UNUM_BIN, 'run', HELLO], { encoding: 'utf8', timeout: 30_000 });
  cachedReason = r.status === 0 && r.stdout.includes('hello from hart 0')
    ? undefined
    : `unum run guest/bin/hello.elf does not work yet (status ${r.status}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
  return cachedReason;
}

export function runUnum(elf: string, opts: QemuRunOptions = {}): Promise<QemuRunResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  const args = [UNUM_BIN, 'run', elf, '--vcpus', String(opts.smp ?? 1), '--mem', opts.memory ?? '256M'];
  if (opts.append) args.push('--', ...opts.append.split(' '));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: timedOut || code === null ? -1 : code,
        timedOut,
        elapsedMs: Date.now() - started,
      });
    });
    if (opts.input !== undefined) child.stdin.write(opts.input);
    child.stdin.end();
  });
}

export interface SideBySide { qemu: QemuRunResult; unum: QemuRunResult }

export async function runBoth(elf: string, opts: QemuRunOptions = {}): Promise<SideBySide> {
  const [qemu, unum] = await Promise.all([runQemu(elf, opts), runUnum(elf, opts)]);
  return { qemu, unum };
}
