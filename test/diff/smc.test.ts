/**
 * Self-modifying code (smc.S) under unum and QEMU: instructions rewritten and
 * made visible with fence.i, in a data page, on the running code's page, as
 * 16-bit patches, right after the fence.i, and straddling a page boundary.
 * The running sum after each part has a closed form, checked on both sides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qemuUnavailableReason } from '../support/qemu.js';
import { DIFF_DIR, link, toolchainUnavailableReason } from './toolchain.js';
import { runBoth, unumUnavailableReason } from './unum-runner.js';

const sum = (lo: number, hi: number, f: (i: number) => number): number => {
  let s = 0;
  for (let i = lo; i < hi; i++) s += f(i);
  return s;
};
/** a0 after each part of smc.S */
function expected(): string[] {
  const parts = [
    sum(0, 64, (i) => 37 * i - 1000),  // addi a0, a0, 37i-1000 in a data page
    sum(0, 32, (i) => i),              // patch site on the code page
    sum(-32, 32, (i) => i),            // c.addi a0, i (0 skipped: adds nothing)
    1234,                              // the instruction after fence.i, patched from +1
    -777,                              // page-straddling patch
  ];
  let a0 = 0n;
  return parts.map((p) => `a0 ${BigInt.asUintN(64, (a0 += BigInt(p))).toString(16).padStart(16, '0')}`);
}

const skipReason = qemuUnavailableReason() ?? toolchainUnavailableReason() ?? unumUnavailableReason();
if (skipReason) console.warn(`skipping self-modifying-code differential test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('self-modifying code with fence.i vs QEMU', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'unum-smc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every patched instruction, like QEMU', async () => {
    const elf = path.join(dir, 'smc.elf');
    link(elf, [path.join(DIFF_DIR, 'smc.S'), path.join(DIFF_DIR, 'uart-print.S')]);
    const { qemu, unum } = await runBoth(elf, { timeoutMs: 30_000 });
    const lines = (s: string): string[] => s.split(/\r?\n/).filter((l) => l.startsWith('a0 '));
    expect(qemu.exitCode).toBe(0);
    expect(lines(qemu.stdout)).toEqual(expected());
    expect(unum.exitCode, unum.stdout + unum.stderr).toBe(0);
    expect(lines(unum.stdout)).toEqual(lines(qemu.stdout));
  });
});
