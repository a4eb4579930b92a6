// The t-* test guests under qemu-system-riscv64 -M virt: the oracle the unum
// cluster suites are held to. QEMU is a relaxed machine (RVWMO guest on the
// host's memory model), so litmus runs here claim SC only with fences=1.
// Long iteration counts: UNUM_SLOW=1.
import { describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { qemuUnavailableReason, runQemu, type QemuRunResult } from '../support/qemu.js';
import { GUEST_CASES, SLOW, caseArgs, checkLitmus, sameSummary } from './guest-checks.js';

const skip = qemuUnavailableReason();
if (skip) console.warn(`skipping cluster guests under QEMU: ${skip}`);

const qemu = (name: string, smp: number, append: string): Promise<QemuRunResult> =>
  runQemu(guestElf(name), { smp, memory: '128M', append, timeoutMs: SLOW ? 600_000 : 90_000 });

/** Two-thread shapes are cheap; IRIW and WRC need 3-4 spinning harts, slow on a 2-core host. */
const LITMUS_ITERS = SLOW ? { pair: 20000, wide: 5000 } : { pair: 300, wide: 40 };
const litmusRuns = (extra: string): string[] => [
  `shapes=sb,mp,lb,2+2w,corr iters=${LITMUS_ITERS.pair} ${extra}`,
  `shapes=iriw,wrc iters=${LITMUS_ITERS.wide} ${extra}`,
];

describe.skipIf(skip !== undefined)('test guests under QEMU', () => {
  for (const c of GUEST_CASES) {
    it(`${c.name} on -smp ${c.harts}`, async () => {
      const append = caseArgs(c, 'qemu');
      c.check(await qemu(c.name, c.harts, append), c.harts, append);
    }, SLOW ? 600_000 : 120_000);
  }

  it('t-ipi on -smp 4 and -smp 2', async () => {
    for (const smp of [4, 2]) {
      const c = GUEST_CASES.find((g) => g.name === 't-ipi')!;
      c.check(await qemu('t-ipi', smp, 'rounds=3'), smp, 'rounds=3');
    }
  }, SLOW ? 600_000 : 120_000);

  it('t-same prints the same result on -smp 1, 3 and 4', async () => {
    const append = caseArgs(GUEST_CASES.find((g) => g.name === 't-same')!, 'qemu');
    const one = sameSummary(await qemu('t-same', 1, append));
    expect(sameSummary(await qemu('t-same', 3, append))).toBe(one);
    expect(sameSummary(await qemu('t-same', 4, append))).toBe(one);
  });

  for (const mode of ['fences=1 sc=1', 'fences=1 sc=1 colocate=1']) {
    it(`t-litmus ${mode}: no SC-forbidden outcome on -smp 4`, async () => {
      for (const append of litmusRuns(mode)) checkLitmus(await qemu('t-litmus', 4, append), append);
    }, SLOW ? 1_200_000 : 180_000);
  }

  it('t-litmus fences=0 sc=0: counts add up, CoRR holds, relaxed outcomes only reported', async () => {
    for (const append of litmusRuns('fences=0 sc=0')) {
      const counts = checkLitmus(await qemu('t-litmus', 4, append), append);
      for (const [shape, outcomes] of counts) console.log(`qemu litmus ${shape} fences=0: ${[...outcomes].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    }
  }, SLOW ? 1_200_000 : 180_000);

  it('bad arguments are a one-line error and exit 2', async () => {
    const r = await qemu('t-litmus', 2, 'shapes=sb,xyz');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^error: argument shapes=sb,xyz: shapes are sb,mp,lb,iriw,wrc,2\+2w,corr or all$/m);
    const small = await qemu('t-litmus', 2, 'shapes=iriw iters=1');
    expect(small.exitCode).toBe(2);
    expect(small.stdout).toMatch(/shape iriw needs 4 harts, the machine has 2/);
    const one = await qemu('t-barrier', 1, '');
    expect(one.exitCode).toBe(2);
    expect(one.stdout).toMatch(/t-barrier needs 2\+ threads/);
  });
});
