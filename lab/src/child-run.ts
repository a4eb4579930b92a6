/**
 * One child process of an experiment: its own process group (so a timeout
 * or Ctrl-C kills it and everything it started, e.g. `unum run`'s agents),
 * stdout/stderr collected, wall time measured.
 *
 * @example
 *   const r = await runChild({ argv: [process.execPath, UNUM_BIN, 'run', 'x.elf'], timeoutMs: 60_000 });
 *   r.exitCode; r.stdout; r.wallMs;
 */
import { spawn } from 'node:child_process';

export interface ChildSpec {
  /** argv[0] is the executable. */
  argv: string[];
  timeoutMs: number;
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
}

export interface ChildResult {
  stdout: string;
  stderr: string;
  /** The exit status; -1 when killed (timeout, abort) or ended by a signal. */
  exitCode: number;
  timedOut: boolean;
  aborted: boolean;
  wallMs: number;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

export function runChild(spec: ChildSpec, signal?: AbortSignal): Promise<ChildResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      resolve({ stdout: '', stderr: '', exitCode: -1, timedOut: false, aborted: true, wallMs: 0 });
      return;
    }
    const child = spawn(spec.argv[0]!, spec.argv.slice(1), {
      cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let aborted = false;
    const timer = setTimeout(() => { timedOut = true; killGroup(child.pid); }, spec.timeoutMs);
    const onAbort = (): void => { aborted = true; killGroup(child.pid); };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // The CLI may have exited while an agent of its group lingers: make sure none does.
      killGroup(child.pid);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
        exitCode: timedOut || aborted || code === null ? -1 : code, timedOut, aborted, wallMs: performance.now() - started,
      });
    });
  });
}
