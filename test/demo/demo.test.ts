// The README's first set-up line ends in `npx unum demo`: keep it true.
import { describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-process.js';

describe('unum demo', () => {
  it('runs jacobi across two agent processes and prints the per-node DSM summary', async () => {
    const r = await runProcess(process.execPath, ['cli/bin/unum.js', 'demo'], { timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^RESULT name=jacobi harts=2 .*verify=ok$/m);
    // the summary table: one row per node, each having taken DSM faults
    const rows = r.stderr.split('\n').filter((l) => /^\s+[01]\s+node[01]\s/.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(Number(row.trim().split(/\s+/)[4])).toBeGreaterThan(0);
  }, 150_000);
});
