/**
 * AMOs, LR and SC run inside translated code (through the core's execAmo,
 * jit.ts jitAmo) instead of ending the translated block: the state after
 * exact budgets equals the interpreter's, a misaligned AMO traps precisely
 * (mepc, mcause), and the loop does not go back to the interpreter at
 * every AMO.
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from '../test-support/rv-asm.js';
import { rawHart } from '../test-support/raw-hart.js';
import { readGpa } from '../memory.js';

const DATA = 0x8010_0000;
const ITERS = 20_000;
const [S2, S3, A4] = [18, 19, 14];
const amo = (f5: number, rd: number, rs1: number, rs2: number): number => ((f5 << 27) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x2f) >>> 0;
const AMOADD = 0, LR = 2, SC = 3;

function program(): Asm {
  return new Asm()
    .la(R.t0, 'mtrap').csrw(CSR.mtvec, R.t0)
    .li(R.s1, DATA).li(R.t1, 1).li(R.s0, ITERS)
    .label('loop')
    .inst(amo(AMOADD, R.a0, R.s1, R.t1)) // a0 = old, mem += 1
    .inst(amo(LR, R.a1, R.s1, 0))
    .addi(R.a1, R.a1, 2)
    .inst(amo(SC, R.a2, R.s1, R.a1)) // a2 = 0: stored
    .bne(R.a2, R.zero, 'mtrap')
    .addi(R.s0, R.s0, -1).bne(R.s0, R.zero, 'loop')
    .addi(R.s1, R.s1, 1)
    .inst(amo(AMOADD, A4, R.s1, R.t1)) // misaligned: store/AMO misaligned trap (cause 6)
    .wfi()
    .label('mtrap')
    .csrr(S2, CSR.mcause).csrr(S3, CSR.mepc)
    .wfi();
}

describe('AMOs in translated code', () => {
  it('runs AMO, LR and SC translated with the interpreter\'s results, budgets and precise traps', () => {
    const budgets = [3, 1000, 1029, 33_333, 10_000_000];
    const runs = [false, true].map((jit) => {
      const a = program();
      const { vcpu, memory } = rawHart(a, { jit, jitHot: 1 });
      const states = budgets.map((b) => {
        const exit = vcpu.run(b);
        const mem = new DataView(readGpa(memory, DATA, 8).buffer).getBigUint64(0, true);
        return { exit, pc: vcpu.pc, instret: vcpu.instret, mem, regs: [R.a0, R.a1, R.a2, R.s0, S2, S3].map((r) => vcpu.reg(r)) };
      });
      return { states, c: vcpu.engineCounters, trapAt: a.addr('mtrap') };
    });
    expect(runs[1].states).toEqual(runs[0].states);
    const last = runs[0].states.at(-1)!;
    expect(last.exit).toEqual({ kind: 'wfi' });
    expect(last.mem).toBe(BigInt(3 * ITERS));
    expect(last.regs[4]).toBe(6n); // mcause: store/AMO address misaligned
    expect(last.regs[5]).toBe(BigInt(runs[0].trapAt - 8)); // mepc: the misaligned amoadd
    expect(runs[1].c.translated).toBeGreaterThan(BigInt(6 * ITERS * 9 / 10));
    expect(runs[1].c.jitEntries).toBeLessThan(BigInt(ITERS / 10)); // the AMOs did not leave the translated loop
  });
});
