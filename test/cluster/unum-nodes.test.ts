// One VM over several node processes: every t-* guest with each thread on its
// own node (--nodes N --vcpus N --placement rr), for every IVY variant. IVY is
// sequentially consistent, so litmus runs claim sc=1 with and without fences.
// Skips, saying what is missing, until `unum run --nodes` exists.
// Long iteration counts: UNUM_SLOW=1.
import { afterAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { qemuUnavailableReason, runQemu } from '../support/qemu.js';
import { GUEST_CASES, SLOW, caseArgs, checkLitmus, sameSummary } from './guest-checks.js';
import { PROTOCOLS, clusterUnavailableReason, killAllUnum, runUnum, type UnumRunResult } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping multi-node unum tests: ${skip}`);

const TIMEOUT = SLOW ? 1_800_000 : 240_000;
const cluster = (name: string, nodes: number, vcpus: number, protocol: string, append: string, placement = 'rr'): Promise<UnumRunResult> =>
  runUnum(guestElf(name), { nodes, vcpus, placement, protocol, unit: '4K', mem: '128M', append, timeoutMs: TIMEOUT - 10_000 });

/** Every page ping-pongs between nodes each iteration: keep default counts small. */
const LITMUS_ITERS = SLOW ? { pair: 5000, wide: 1000 } : { pair: 40, wide: 15 };
const litmusRuns = (extra: string): string[] => [
  `shapes=sb,mp,lb,2+2w,corr iters=${LITMUS_ITERS.pair} jitter=0 ${extra}`,
  `shapes=iriw,wrc iters=${LITMUS_ITERS.wide} jitter=0 ${extra}`,
];
const sameArgs = caseArgs(GUEST_CASES.find((g) => g.name === 't-same')!, 'unum');

describe.skipIf(skip !== undefined)('one VM across nodes (unum run --nodes)', () => {
  afterAll(killAllUnum);

  for (const protocol of PROTOCOLS) {
    describe(protocol, () => {
      for (const c of GUEST_CASES) {
        it(`${c.name}: ${c.harts} harts on ${c.harts} nodes`, async () => {
          const append = caseArgs(c, 'unum');
          c.check(await cluster(c.name, c.harts, c.harts, protocol, append), c.harts, append);
        }, TIMEOUT);
      }

      for (const mode of ['fences=0 sc=1', 'fences=1 sc=1']) {
        it(`t-litmus ${mode}: 4 harts on 4 nodes, one page per variable, no SC-forbidden outcome`, async () => {
          for (const append of litmusRuns(mode)) checkLitmus(await cluster('t-litmus', 4, 4, protocol, append), append);
        }, 2 * TIMEOUT);
      }

      it('t-litmus fences=0 sc=1 colocate=1: variables sharing a page', async () => {
        const append = `shapes=sb,mp,2+2w iters=${LITMUS_ITERS.pair} jitter=0 fences=0 sc=1 colocate=1`;
        checkLitmus(await cluster('t-litmus', 2, 2, protocol, append), append);
      }, TIMEOUT);

      it('t-same: --nodes 1, 2 and 3 print the same result (and QEMU -smp 3 agrees)', async () => {
        const one = sameSummary(await cluster('t-same', 1, 3, protocol, sameArgs));
        expect(sameSummary(await cluster('t-same', 2, 3, protocol, sameArgs))).toBe(one);
        expect(sameSummary(await cluster('t-same', 3, 3, protocol, sameArgs))).toBe(one);
        if (qemuUnavailableReason() === undefined)
          expect(sameSummary(await runQemu(guestElf('t-same'), { smp: 3, memory: '128M', append: sameArgs, timeoutMs: 60_000 }))).toBe(one);
      }, 3 * TIMEOUT);
    });
  }

  it('t-same under placements packed and 2,0,1 matches rr', async () => {
    const rr = sameSummary(await cluster('t-same', 3, 3, 'ivy-dynamic', sameArgs, 'rr'));
    expect(sameSummary(await cluster('t-same', 2, 3, 'ivy-dynamic', sameArgs, 'packed'))).toBe(rr);
    expect(sameSummary(await cluster('t-same', 3, 3, 'ivy-dynamic', sameArgs, '2,0,1'))).toBe(rr);
  }, 3 * TIMEOUT);
});
