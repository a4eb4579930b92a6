/**
 * `spawnSync`'s result without blocking the test worker. A vitest worker
 * blocked in spawnSync for over a minute (a whole experiment under load)
 * misses its RPC replies to the vitest main process and the run fails with
 * "Timeout calling onTaskUpdate" even though every test passed.
 *
 * @example
 *   const r = await runProcess(process.execPath, [UNUM_BIN, 'demo'], { timeout: 120_000 });
 *   expect(r.status, r.stderr).toBe(0);
 */
import { spawn } from 'node:child_process';

export interface ProcessResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (default: nothing). */
  input?: string;
  /** SIGKILL after this many ms, as spawnSync's `timeout`. */
  timeout?: number;
}

export function runProcess(cmd: string, args: string[], o: RunProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = o.timeout === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), o.timeout);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (status, signal) => { clearTimeout(timer); resolve({ status, signal, stdout, stderr }); });
    child.stdin.end(o.input ?? '');
  });
}
