// One VM over several node processes: every t-* guest with each thread on its
// own node (--nodes N --vcpus N --placement rr), for every IVY variant. IVY is
// sequentially consistent, so litmus runs claim sc=1 with and without fences.
// Skips, saying what is missing, until `unum run --nodes` exists.
// Long iteration counts: UNUM_SLOW=1.
import { afterAll, describe, expect, it } from 'vitest';
import { protocolNames } from '@unum/dsm';
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
const LITMUS_ITERS = SLOW ? { pair: 5000, wide: 1000 } : { pair: 10, wide: 5 };
const litmusRuns = (extra: string): string[] => [
  `shapes=sb,mp,lb,2+2w,corr iters=${LITMUS_ITERS.pair} jitter=0 ${extra}`,
  `shapes=iriw,wrc iters=${LITMUS_ITERS.wide} jitter=0 ${extra}`,
];
const FORWARDING_ONLY = new Set(['t-ipi', 't-uart']);
const sameArgs = caseArgs(GUEST_CASES.find((g) => g.name === 't-same')!, 'unum');

/**
 * Every other protocol name (modifiers and home-based): the atomics and the
 * litmus guests across nodes. By default one name per mechanism (the
 * protocol lab's variants); UNUM_SLOW=1: all of protocolNames().
 */
const MECHANISMS = ['ivy-dynamic+mirage', 'ivy-dynamic+prefetch', 'ivy-dynamic+own-read', 'ivy-dynamic+update', 'home-based'];
const VARIANTS = protocolNames().filter((p) => !(PROTOCOLS as readonly string[]).includes(p) && (SLOW || MECHANISMS.includes(p)));
const atomics = GUEST_CASES.find((g) => g.name === 't-atomics')!;

/** The t-same line every run must print: from QEMU when it is installed, else from unum on one node. */
let sameWant: Promise<string> | undefined;
const qemuSame = (): Promise<string> =>
  (sameWant ??= qemuUnavailableReason() === undefined
    ? runQemu(guestElf('t-same'), { smp: 3, memory: '128M', append: sameArgs, timeoutMs: 60_000 }).then(sameSummary)
    : cluster('t-same', 1, 3, 'ivy-dynamic', sameArgs).then(sameSummary));

describe.skipIf(skip !== undefined)('one VM across nodes (unum run --nodes)', () => {
  afterAll(killAllUnum);

  for (const protocol of PROTOCOLS) {
    // The full matrix for one variant by default; every variant under UNUM_SLOW.
    const full = SLOW || protocol === 'ivy-dynamic';
    describe(protocol, () => {
      for (const c of GUEST_CASES) {
        // IPIs and the UART go through MMIO/interrupt forwarding, which no DSM variant changes.
        it.skipIf(!full && FORWARDING_ONLY.has(c.name))(`${c.name}: ${c.harts} harts on ${c.harts} nodes`, async () => {
          const append = caseArgs(c, 'unum');
          const out = await cluster(c.name, c.harts, c.harts, protocol, append);
          c.check(out, c.harts, append);
          if (c.name === 't-same') expect(sameSummary(out), 'same result as QEMU -smp 3').toBe(await qemuSame());
        }, TIMEOUT);
      }

      for (const mode of full ? ['fences=0 sc=1', 'fences=1 sc=1'] : ['fences=0 sc=1']) {
        it(`t-litmus ${mode}: 4 harts on 4 nodes, one page per variable, no SC-forbidden outcome`, async () => {
          for (const append of litmusRuns(mode)) checkLitmus(await cluster('t-litmus', 4, 4, protocol, append), append);
        }, 2 * TIMEOUT);
      }

      it.skipIf(!full)('t-litmus fences=0 sc=1 colocate=1: variables sharing a page', async () => {
        const append = `shapes=sb,mp,2+2w iters=${LITMUS_ITERS.pair} jitter=0 fences=0 sc=1 colocate=1`;
        checkLitmus(await cluster('t-litmus', 2, 2, protocol, append), append);
      }, TIMEOUT);

      it.skipIf(!full)('t-same: 3 harts on --nodes 1 and 2 print the same result as QEMU -smp 3', async () => {
        const want = await qemuSame();
        for (const nodes of [1, 2]) expect(sameSummary(await cluster('t-same', nodes, 3, protocol, sameArgs)), `--nodes ${nodes}`).toBe(want);
      }, 3 * TIMEOUT);
    });
  }

  for (const protocol of VARIANTS) {
    describe(protocol, () => {
      it(`t-atomics: ${atomics.harts} harts on ${atomics.harts} nodes`, async () => {
        const append = caseArgs(atomics, 'unum');
        atomics.check(await cluster(atomics.name, atomics.harts, atomics.harts, protocol, append), atomics.harts, append);
      }, TIMEOUT);

      it('t-litmus fences=0 sc=1: 4 harts on 4 nodes, no SC-forbidden outcome', async () => {
        for (const append of litmusRuns('fences=0 sc=1')) checkLitmus(await cluster('t-litmus', 4, 4, protocol, append), append);
      }, 2 * TIMEOUT);
    });
  }

  it('t-same under placements packed (2 nodes) and 2,0,1 matches QEMU', async () => {
    const want = await qemuSame();
    expect(sameSummary(await cluster('t-same', 2, 3, 'ivy-dynamic', sameArgs, 'packed'))).toBe(want);
    expect(sameSummary(await cluster('t-same', 3, 3, 'ivy-dynamic', sameArgs, '2,0,1'))).toBe(want);
  }, 3 * TIMEOUT);

  it('t-same with --page-placement numa (each unit starts on the node whose NUMA range holds it) matches QEMU', async () => {
    const want = await qemuSame();
    const r = await runUnum(guestElf('t-same'), {
      nodes: 2, vcpus: 2, placement: 'rr', protocol: 'ivy-dynamic', unit: '4K', mem: '128M', append: sameArgs, timeoutMs: TIMEOUT - 10_000,
      flags: ['--page-placement', 'numa'],
    });
    expect(sameSummary(r)).toBe(want);
  }, 2 * TIMEOUT);
});
