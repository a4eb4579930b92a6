// What `unum demo` says beside its run must hold: the QEMU command it prints
// runs as printed (copy-pasted into a shell) and gives unum's checksum, and
// the lines after the table say what `pages node0` and the two instrets are.
import { describe, expect, it } from 'vitest';
import { qemuUnavailableReason } from '../support/qemu.js';
import { runProcess, type ProcessResult } from '../support/run-process.js';

const checksum = (out: string): string | undefined => /^RESULT name=jacobi .*checksum=(0x[0-9a-f]+) .*verify=ok$/m.exec(out)?.[1];

describe('unum demo: what it prints beside the run', () => {
  let run: Promise<ProcessResult> | undefined;
  /** One demo run for both checks (it takes a while). */
  const once = (): Promise<ProcessResult> =>
    (run ??= runProcess(process.execPath, ['cli/bin/unum.js', 'demo'], { timeout: 120_000 }));

  it('explains pages node0 and the RESULT instret vs the table\'s, after the table', async () => {
    const r = await once();
    expect(r.status).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    const rows = lines.flatMap((l, i) => (/^\s+\d+\s+node\d+\s/.test(l) ? [i] : []));
    expect(rows).toHaveLength(2);
    const after = lines.slice(rows[1]! + 1);
    expect(after.some((l) => /"pages node0" is the initial page placement: every 4K unit of guest RAM starts owned by node 0/.test(l))).toBe(true);
    expect(after.some((l) => /RESULT instret is the guest's own rdinstret on hart 0 over the timed sweeps only; the table's instret is every instruction its node's harts retired in the whole run/.test(l))).toBe(true);
  }, 150_000);

  it.skipIf(qemuUnavailableReason() !== undefined)('the QEMU command runs as printed and gives the same checksum', async () => {
    const r = await once();
    const ours = checksum(r.stdout);
    expect(ours).toBeDefined();
    const cmd = /\(the same checksum\): (qemu-system-riscv64 .*)$/m.exec(r.stderr)?.[1];
    expect(cmd, r.stderr).toBeDefined();
    expect(cmd).toContain('-nographic');
    const q = await runProcess('sh', ['-c', cmd!], { timeout: 120_000 });
    expect(q.status, q.stderr).toBe(0);
    expect(checksum(q.stdout)).toBe(ours);
  }, 150_000);
});
