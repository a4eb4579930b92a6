// The t-* guests on one unum node with 4 vCPUs (`unum run --vcpus 4`). Harts
// of one node share host memory, which is not SC, so litmus claims only what
// RVWMO promises (fences=1). Skips, saying why, while the vCPU engine is missing.
import { afterAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { qemuUnavailableReason, runQemu } from '../support/qemu.js';
import { GUEST_CASES, SLOW, caseArgs, checkLitmus, sameSummary } from './guest-checks.js';
import { killAllUnum, runUnum, singleNodeUnavailableReason, type UnumRunResult } from './unum-runner.js';

const skip = singleNodeUnavailableReason();
if (skip) console.warn(`skipping single-node unum tests: ${skip}`);

const HARTS = 4;
const TIMEOUT = SLOW ? 1_200_000 : 180_000;
const single = (name: string, append: string, vcpus = HARTS): Promise<UnumRunResult> =>
  runUnum(guestElf(name), { vcpus, mem: '128M', append, timeoutMs: TIMEOUT - 10_000 });
const ITERS = SLOW ? { pair: 10000, wide: 2000 } : { pair: 100, wide: 20 };

describe.skipIf(skip !== undefined)('test guests on one unum node, --vcpus 4', () => {
  afterAll(killAllUnum);

  for (const c of GUEST_CASES) {
    it(c.name, async () => {
      const append = caseArgs(c, 'unum');
      c.check(await single(c.name, append), HARTS, append);
    }, TIMEOUT);
  }

  for (const mode of ['fences=1 sc=1', 'fences=0 sc=0']) {
    it(`t-litmus ${mode}`, async () => {
      for (const append of [`shapes=sb,mp,lb,2+2w,corr iters=${ITERS.pair} ${mode}`, `shapes=iriw,wrc iters=${ITERS.wide} ${mode}`])
        checkLitmus(await single('t-litmus', append), append);
    }, TIMEOUT);
  }

  it('t-same matches --vcpus 1 and QEMU -smp 4', async () => {
    const args = caseArgs(GUEST_CASES.find((g) => g.name === 't-same')!, 'qemu');
    const four = sameSummary(await single('t-same', args));
    expect(sameSummary(await single('t-same', args, 1))).toBe(four);
    if (qemuUnavailableReason() === undefined)
      expect(sameSummary(await runQemu(guestElf('t-same'), { smp: HARTS, memory: '128M', append: args, timeoutMs: 60_000 }))).toBe(four);
  }, 2 * TIMEOUT);
});
