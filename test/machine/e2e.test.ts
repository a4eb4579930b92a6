// Test guests under `unum run` and under qemu-system-riscv64 -M virt: same
// stdout, same exit status. QEMU is the oracle; without it the expected
// output below still has to match.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUESTS, hasTool, qemu, run, unum } from './tools.js';

interface Case {
  elf: string;
  harts: number;
  input?: string;
  status: number;
  stdout: string | RegExp;
}

const CASES: Case[] = [
  { elf: 'hello', harts: 1, status: 0, stdout: 'hello from unum guest\nharts: 1\nfdt aligned: 1\n' },
  { elf: 'hello', harts: 3, status: 0, stdout: 'hello from unum guest\nharts: 3\nfdt aligned: 1\n' },
  { elf: 'fail', harts: 1, status: 7, stdout: 'failing with 7\n' },
  { elf: 'echo', harts: 1, input: 'abc xyz\nq', status: 0, stdout: 'echo ready\nABC XYZ\n\nechoed 8 bytes\n' },
  { elf: 'uartirq', harts: 1, input: 'hi there.', status: 0, stdout: 'uartirq ready\nhi there\nirq-driven rx done: 1\n' },
  { elf: 'smp', harts: 1, status: 0, stdout: 'harts 1 amo 20000 lrsc 20000 lock 20000\n' },
  { elf: 'smp', harts: 2, status: 0, stdout: 'harts 2 amo 40000 lrsc 40000 lock 40000\n' },
  { elf: 'smp', harts: 4, status: 0, stdout: 'harts 4 amo 80000 lrsc 80000 lock 80000\n' },
  { elf: 'timer', harts: 1, status: 0, stdout: 'timer ticks 3, elapsed >= 3ms: 1\n' },
  { elf: 'order', harts: 4, status: 0, stdout: 'hart 0 round 0\nhart 1 round 0\nhart 2 round 0\nhart 3 round 0\nhart 0 round 1\nhart 1 round 1\nhart 2 round 1\nhart 3 round 1\nhart 0 round 2\nhart 1 round 2\nhart 2 round 2\nhart 3 round 2\n' },
  { elf: 'nodev', harts: 1, status: 0, stdout: 'load: cause 5 tval ok 1 value kept 1\nstore: cause 7 tval ok 1\n' },
  { elf: 'ipi', harts: 2, status: 0, stdout: 'hart 1 got ipi\nhart 0 got ipi back\n' },
];

const withQemu = hasTool('qemu-system-riscv64');
if (!withQemu) console.warn('e2e: qemu-system-riscv64 not installed; checking unum against expected output only');

describe('guests: unum vs QEMU', () => {
  it.each(CASES)('$elf on $harts hart(s)', async (c) => {
    const elf = join(GUESTS, `${c.elf}.elf`);
    const ours = await unum(['run', elf, '--vcpus', String(c.harts), '--mem', '128M'], c.input ?? '', 120_000);
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toEqual(c.stdout);
    expect(ours.status).toBe(c.status);
    if (withQemu) {
      const theirs = await qemu(elf, c.harts, c.input ?? '', 60_000);
      expect(ours.stdout).toEqual(theirs.stdout);
      expect(ours.status).toBe(theirs.status);
    }
  });

  it('npx unum works from the repo root and keeps running after stdin EOF', async () => {
    // stdin closes at once: the guest still prints and exits normally.
    const r = await run('npx', ['--no-install', 'unum', 'run', join(GUESTS, 'hello.elf')], '', 120_000);
    expect(r.stdout).toBe('hello from unum guest\nharts: 1\nfdt aligned: 1\n');
    expect(r.status).toBe(0);
  });
});
