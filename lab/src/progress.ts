/**
 * A progress bar for experiment runs on stderr (cli-progress): runs done,
 * total, time left. On a non-TTY stderr (CI, a pipe) it prints a plain line
 * per run instead, so logs still show progress.
 *
 * @example
 *   const p = new RunProgress(configs.length, 'protocols');
 *   p.tick('matmul ivy-fixed 4K');  // after each run
 *   p.stop();
 */
import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';

/** cli-progress, loaded only when a bar is drawn (every `unum` command loads this package). */
const loadCliProgress = (): typeof cliProgress => createRequire(import.meta.url)('cli-progress') as typeof cliProgress;

export class RunProgress {
  private readonly bar: cliProgress.SingleBar | undefined;
  private done = 0;
  private readonly started = Date.now();

  constructor(private readonly total: number, private readonly title: string, private readonly stream: NodeJS.WriteStream = process.stderr) {
    if (stream.isTTY) {
      const cliProgress = loadCliProgress();
      this.bar = new cliProgress.SingleBar({
        stream, format: `${title} {bar} {value}/{total} runs | {eta_formatted} left | {label}`,
        etaBuffer: 20, hideCursor: true, clearOnComplete: false,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(total, 0, { label: '' });
    }
  }

  /** One more run finished; `label` names it. */
  tick(label: string): void {
    this.done++;
    if (this.bar) {
      this.bar.update(this.done, { label });
      return;
    }
    const elapsed = (Date.now() - this.started) / 1000;
    const left = this.done ? (elapsed / this.done) * (this.total - this.done) : 0;
    this.stream.write(`${this.title}: ${this.done}/${this.total} runs, ${left.toFixed(0)} s left: ${label}\n`);
  }

  stop(): void {
    this.bar?.stop();
  }
}
