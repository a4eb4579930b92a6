/**
 * A child process whose output a test can wait on: `waitFor(/echo: ready/)`,
 * then `exited()`, each bounded by a timeout so a hung cluster fails the test
 * instead of hanging it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export class WatchedChild {
  stdout = '';
  stderr = '';
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly exit: Promise<number | null>;

  constructor(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.proc = spawn(cmd, args, { env });
    this.proc.stdout.setEncoding('utf8').on('data', (d: string) => { this.stdout += d; });
    this.proc.stderr.setEncoding('utf8').on('data', (d: string) => { this.stderr += d; });
    this.exit = new Promise((resolve) => this.proc.once('close', (code) => resolve(code)));
  }

  write(text: string): void {
    this.proc.stdin.write(text);
  }

  /** Resolves once stdout matches `pattern`; rejects on timeout or if the process ends first. */
  async waitFor(pattern: RegExp, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    let ended = false;
    void this.exit.then(() => { ended = true; });
    while (!pattern.test(this.stdout)) {
      if (ended) throw new Error(`exited before ${pattern}: stdout ${JSON.stringify(this.stdout)} stderr ${JSON.stringify(this.stderr)}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} in ${ms} ms: stdout ${JSON.stringify(this.stdout)} stderr ${JSON.stringify(this.stderr)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The exit status, or an error after `ms` (the process is then killed). */
  async exited(ms: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        reject(new Error(`still running after ${ms} ms: stderr ${JSON.stringify(this.stderr)}`));
      }, ms);
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
