/**
 * How a cliff experiment's command ends: one line on stderr with the runs and
 * the failed ones, status 0 when every run passed and 1 otherwise, or 130
 * when Ctrl-C stopped the matrix (its running processes were ended).
 *
 * @example
 *   await endExperiment('linux-cliff', o.out, runLinuxCliff({...}), done);
 */
import { MatrixInterrupted } from '@unum/lab';

export async function endExperiment(name: string, out: string, runs: Promise<ReadonlyArray<{ ok: boolean }>>,
  done: (status: number) => void): Promise<void> {
  try {
    const rows = await runs;
    process.stderr.write(`unum: ${name}: ${rows.length} runs (${rows.filter((r) => !r.ok).length} failed); see ${out}/summary.md\n`);
    done(rows.every((r) => r.ok) ? 0 : 1);
  } catch (e) {
    if (!(e instanceof MatrixInterrupted)) throw e;
    process.stderr.write(`unum: ${name} ${e.message}\n`);
    done(130);
  }
}
