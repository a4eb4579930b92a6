/**
 * Test support: `unum run X.elf --nodes N --dashboard 127.0.0.1:0` as a child
 * process; resolves once the dashboard URL is on stderr. Bounded: killed
 * after `timeoutMs`, and by `stop()`.
 *
 * @example
 *   const run = await startDashboardRun('guest/bin/pingpong.elf', ['rounds=100000']);
 *   await fetch(`${run.url}metrics`);
 *   await run.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../guest/guest-paths.js';

export const UNUM_BIN = path.join(REPO_ROOT, 'cli', 'bin', 'unum.js');

export interface DashboardRun {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit status. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export interface RunOptions {
  nodes?: number;
  vcpus?: number;
  mem?: string;
  dashboard?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function startDashboardRun(elf: string, bootargs: string[], o: RunOptions = {}): Promise<DashboardRun> {
  const argv = [UNUM_BIN, 'run', path.join(REPO_ROOT, elf), '--nodes', String(o.nodes ?? 2), '--vcpus', String(o.vcpus ?? 2),
    '--mem', o.mem ?? '16M', '--dashboard', o.dashboard ?? '127.0.0.1:0', '--', ...bootargs];
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const killer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => { clearTimeout(killer); r(code); }));
  const url = await new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const m = /dashboard at (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    };
    child.stderr!.on('data', check);
    void exited.then((code) => reject(new Error(`unum exited (${code}) before printing the dashboard URL:\n${err}`)));
  });
  return {
    url, child, exited, stdout: () => out, stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** Poll `probe` every `everyMs` until it returns a value (not undefined) or `ms` pass. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
