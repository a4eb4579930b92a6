/**
 * Whole guest programs under unum and QEMU side by side: the guest/bin
 * workloads at tiny sizes (1 and 2 harts) and the vCPU bench kernels
 * (bench/guests, 1 hart). Same exit code, both verify, same RESULT checksum;
 * hello and the fault reports must print the same text.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { qemuUnavailableReason } from '../support/qemu.js';
import { TINY_WORKLOADS as WORKLOADS } from '../support/tiny-workloads.js';
import { KNOWN_FAILING_PROGRAMS } from './known-failing.js';
import { REPO_ROOT } from './toolchain.js';
import { expectSameResult, runBoth, unumUnavailableReason } from './unum-runner.js';

const guestElf = (name: string): string => path.join(REPO_ROOT, 'guest/bin', `${name}.elf`);
const kernelElf = (name: string): string => path.join(REPO_ROOT, 'bench/guests/bin', `${name}.elf`);

const KERNELS: { name: string; append: string }[] = [
  { name: 'alu', append: 'iters=100000' },
  { name: 'memchase', append: 'size=256K laps=2 passes=1' },
  { name: 'fpmix', append: 'n=100000' },
  { name: 'qsort', append: 'n=5000 rounds=2' },
];

const skipReason = qemuUnavailableReason() ?? unumUnavailableReason();
if (skipReason) console.warn(`skipping program differential tests: ${skipReason}`);

const sameResult = async (elf: string, smp: number, append: string): Promise<void> => {
  await expectSameResult(elf, { smp, append, memory: '128M', timeoutMs: 60_000 });
};

describe.skipIf(skipReason !== undefined)('guest programs: unum vs QEMU', () => {
  for (const w of WORKLOADS) {
    for (const smp of w.harts) {
      it(`${w.name} ${w.append} on ${smp} hart(s)`, () => sameResult(guestElf(w.name), smp, w.append));
    }
  }
  for (const k of KERNELS) {
    it(`bench kernel ${k.name} ${k.append}`, () => sameResult(kernelElf(k.name), 1, k.append));
  }

  it('hello prints the same text', async () => {
    const { qemu, unum } = await runBoth(guestElf('hello'), { smp: 2, memory: '128M' });
    expect(qemu.exitCode).toBe(0);
    expect(unum.exitCode).toBe(0);
    // harts greet in any order: compare the sorted lines
    expect(unum.stdout.split('\n').sort()).toEqual(qemu.stdout.split('\n').sort());
  });

  for (const kind of ['illegal', 'misaligned', 'ecall', 'load']) {
    const known = KNOWN_FAILING_PROGRAMS.get(`fault kind=${kind}`);
    if (known) console.warn(`known-failing: fault kind=${kind}: ${known}`);
    (known ? it.fails : it)(`fault kind=${kind}: same trap report and exit code 3`, async () => {
      const { qemu, unum } = await runBoth(guestElf('fault'), { smp: 1, memory: '128M', append: `kind=${kind}` });
      expect(qemu.exitCode).toBe(3);
      expect(unum.exitCode, unum.stdout + unum.stderr).toBe(3);
      const trapLine = (s: string): string | undefined => s.split('\n').find((l) => l.startsWith('TRAP '));
      const q = trapLine(qemu.stdout), u = trapLine(unum.stdout);
      expect(q).toBeDefined();
      if (kind === 'misaligned' && u === q?.replace('cause=0x4 (load address', 'cause=0x6 (store/AMO address')) {
        console.warn('fault kind=misaligned: unum raises cause 6 for a misaligned AMO (the spec), QEMU 7.2 cause 4');
        return;
      }
      expect(u).toBe(q);
    });
  }
});
