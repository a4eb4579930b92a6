/**
 * Runs a list of experiment configurations one after another (or `jobs` at
 * a time) and hands each result back as it lands. Ctrl-C (SIGINT/SIGTERM)
 * aborts: the signal passed to `runOne` fires (runChild kills the child's
 * process group), no new run starts, and runMatrix rejects with
 * MatrixInterrupted after the running ones have ended.
 *
 * @example
 *   const results = await runMatrix(configs, (c, signal) => runChild(argvOf(c), signal), {
 *     onResult: (c, r, done) => progress.tick(done, label(c)),
 *   });
 */
export class MatrixInterrupted extends Error {
  constructor(readonly completed: number, signal: string) {
    super(`interrupted (${signal}) after ${completed} run(s)`);
  }
}

export interface MatrixOptions<C, R> {
  /** Runs at a time (default 1: experiments measure time). */
  jobs?: number;
  onResult?: (config: C, result: R, done: number) => void;
}

export async function runMatrix<C, R>(
  configs: readonly C[],
  runOne: (config: C, signal: AbortSignal) => Promise<R>,
  opts: MatrixOptions<C, R> = {},
): Promise<R[]> {
  const abort = new AbortController();
  let why: string | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    why ??= sig;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results: R[] = new Array(configs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < configs.length && !abort.signal.aborted) {
      const i = next++;
      const r = await runOne(configs[i]!, abort.signal);
      if (abort.signal.aborted) return;
      results[i] = r;
      done++;
      opts.onResult?.(configs[i]!, r, done);
    }
  };
  try {
    const jobs = Math.max(1, Math.min(opts.jobs ?? 1, configs.length));
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (why !== undefined) throw new MatrixInterrupted(done, why);
  return results;
}
