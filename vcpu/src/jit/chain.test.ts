/**
 * Chaining between translated pages (page-chain.ts): a loop on one page
 * calls a function on the next page, so every call and return leaves a
 * page. With the translator the calls and returns go from translation to
 * translation without the interpreter; the state after every run() (exact
 * budgets) equals the interpreter's, and code the host rewrites on the
 * called page runs in its new form after the epoch change, which a chain
 * into the old translation would miss.
 */
import { describe, it, expect } from 'vitest';
import { Asm, R } from '../test-support/rv-asm.js';
import { rawHart } from '../test-support/raw-hart.js';
import { writeGpa } from '../memory.js';
import { bumpEpoch } from '../handshake.js';

const CALLS = 500_000;

/** page 0: s0 = CALLS; loop: call f; [fence.i;] s0--; bnez s0, loop; wfi. page 1: f: a0 += 1; a1 += 3; ret. */
function caller(fenceI = false): Asm {
  const a = new Asm().li(R.s0, CALLS).label('loop').jal(R.ra, 'f');
  if (fenceI) a.fenceI();
  a.addi(R.s0, R.s0, -1).bne(R.s0, R.zero, 'loop').wfi();
  while (a.pc < a.base + 0x1100) a.nop();
  return a.label('f').addi(R.a0, R.a0, 1).addi(R.a1, R.a1, 3).jalr(R.zero, R.ra, 0);
}

const ADDI_A0_A0_2 = (2 << 20) | (R.a0 << 15) | (R.a0 << 7) | 0x13;

function state(v: ReturnType<typeof rawHart>['vcpu']) {
  return { pc: v.pc, instret: v.instret, a0: v.reg(R.a0), a1: v.reg(R.a1), s0: v.reg(R.s0) };
}

describe('chaining translated pages', () => {
  it('calls and returns across pages run translation to translation, exactly as interpreted', () => {
    const budgets = [5, 1000, 1025, 77_777, 300_001, 3, 1_000_000];
    const runs = [false, true].map((jit) => {
      const a = caller();
      const { vcpu } = rawHart(a, { jit, jitHot: 1 });
      const states = budgets.map((b) => { vcpu.run(b); return state(vcpu); });
      expect(vcpu.run(10_000_000)).toEqual({ kind: 'wfi' });
      states.push(state(vcpu));
      return { states, c: vcpu.engineCounters };
    });
    expect(runs[1].states).toEqual(runs[0].states);
    expect(runs[0].states.at(-1)!.a0).toBe(BigInt(CALLS));
    const { c } = runs[1];
    expect(c.translated).toBeGreaterThan((runs[1].states.at(-1)!.instret * 9n) / 10n);
    expect(c.jitChains).toBeGreaterThan(BigInt(CALLS)); // most calls and returns chained
    expect(c.jitEntries).toBeLessThan(BigInt(CALLS / 10)); // few went back through the interpreter
    expect(runs[0].c.jitChains).toBe(0n);
  });

  // The epoch change also flushes the TLB, so the chain's TLB check misses;
  // the guest's fence.i does not, so there only the suspect check stops it.
  for (const how of ['epoch change', 'guest fence.i']) it(`does not chain into a translation of code the host has since rewritten (${how})`, () => {
    const finals = [false, true].map((jit) => {
      const a = caller(how === 'guest fence.i');
      const { vcpu, memory } = rawHart(a, { jit, jitHot: 1 });
      vcpu.run(300_000);
      const mid = state(vcpu);
      writeGpa(memory, a.addr('f'), new Uint8Array(new Uint32Array([ADDI_A0_A0_2]).buffer));
      if (how === 'epoch change') bumpEpoch(memory);
      expect(vcpu.run(10_000_000)).toEqual({ kind: 'wfi' });
      return { mid, end: state(vcpu), c: vcpu.engineCounters };
    });
    expect(finals[1].mid).toEqual(finals[0].mid);
    expect(finals[1].end).toEqual(finals[0].end);
    expect(finals[0].end.a0).toBeGreaterThan(BigInt(CALLS) + 100_000n); // the calls after the rewrite added 2
    // with a fence.i per call every page is suspect at each call: no chain, but still translated
    expect(how === 'epoch change' ? finals[1].c.jitChains : finals[1].c.translated).toBeGreaterThan(0n);
  });
});
