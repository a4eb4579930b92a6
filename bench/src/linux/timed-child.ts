/**
 * One benchmark run as a child process: its output, exit status, wall time
 * to exit and to the first stdout line containing `mark` (the Linux bench's
 * "Run /init"); killed after `timeoutMs`. Shared by the boot and goal parts.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface ChildRun {
  status: number | null;
  out: string;
  err: string;
  exitMs: number;
  /** Wall ms until stdout first contained `mark` (NaN: never, or no mark). */
  markMs: number;
}

export function timedChild(argv: string[], o: { cwd: string; timeoutMs: number; mark?: string }): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let markMs = NaN;
    let out = '';
    let err = '';
    const child = spawn(argv[0]!, argv.slice(1), { cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end();
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (o.mark !== undefined && Number.isNaN(markMs) && out.includes(o.mark)) markMs = performance.now() - started;
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out, err, exitMs: performance.now() - started, markMs });
    });
  });
}
