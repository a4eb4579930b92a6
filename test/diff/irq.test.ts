/**
 * Interrupt timing (irq.S) under unum and QEMU: a machine-timer or software
 * interrupt that is already pending must trap right after the CSR write or
 * mret that enables it, with mepc at the next instruction. Both sides must
 * log the same mcause/mepc, and those mepcs must be the program's labels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qemuUnavailableReason } from '../support/qemu.js';
import { DIFF_DIR, link, toolchainUnavailableReason } from './toolchain.js';
import { runBoth, unumUnavailableReason } from './unum-runner.js';

const TIMER = 0x8000000000000007n, SOFTWARE = 0x8000000000000003n;

function parse(stdout: string): { traps: [bigint, bigint][]; want: bigint[]; mtip: string | undefined } {
  const lines = stdout.split(/\r?\n/);
  const traps = lines.flatMap((l) => {
    const m = /^trap ([0-9a-f]{16}) ([0-9a-f]{16})$/.exec(l);
    return m ? [[BigInt(`0x${m[1]}`), BigInt(`0x${m[2]}`)] as [bigint, bigint]] : [];
  });
  const want = (lines.find((l) => l.startsWith('want ')) ?? '').split(/\s+/).slice(1).map((h) => BigInt(`0x${h}`));
  return { traps, want, mtip: lines.find((l) => l.startsWith('mtip ')) };
}

const skipReason = qemuUnavailableReason() ?? toolchainUnavailableReason() ?? unumUnavailableReason();
if (skipReason) console.warn(`skipping interrupt differential test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('pending interrupts trap as soon as enabled, as on QEMU', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'unum-irq-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('timer via mie/MIE and via mret, software via mie', async () => {
    const elf = path.join(dir, 'irq.elf');
    link(elf, [path.join(DIFF_DIR, 'irq.S'), path.join(DIFF_DIR, 'uart-print.S')]);
    const { qemu, unum } = await runBoth(elf, { timeoutMs: 30_000 });
    const both = `QEMU:\n${qemu.stdout}${qemu.stderr}\nunum:\n${unum.stdout}${unum.stderr}`;
    expect(qemu.exitCode, both).toBe(0);
    const q = parse(qemu.stdout);
    expect(q.traps, both).toEqual([[TIMER, q.want[0]], [TIMER, q.want[1]], [SOFTWARE, q.want[2]]]);
    expect(q.mtip, both).toBe('mtip 0000000000000001');
    expect(unum.exitCode, both).toBe(0);
    expect(parse(unum.stdout), both).toEqual(q);
  });
});
