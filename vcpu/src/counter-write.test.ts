/**
 * An explicit CSR write to minstret or mcycle replaces that instruction's own
 * increment (priv spec, "Hardware Performance Monitor"): the next instruction
 * reads the written value. Checked interpreted and with the loop translated.
 * The host's instret (Vcpu.instret) keeps counting every retired instruction.
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';

const ITERS = 20_000;

function program(): Asm {
  const a = new Asm().li(R.t3, ITERS).li(R.t5, 1000)
    .label('loop')
    .csrw(CSR.minstret, R.zero).csrr(R.a0, CSR.minstret) // 0
    .nop().nop().nop().csrr(R.a1, CSR.instret) // 4: the user view agrees
    .csrw(CSR.mcycle, R.t5).nop().nop().csrr(R.a2, CSR.mcycle) // 1002
    .csrrw(R.a3, CSR.minstret, R.t5).csrr(R.a4, CSR.minstret) // a3 = what it read, a4 = 1000
    .addi(R.t3, R.t3, -1).bne(R.t3, R.zero, 'loop')
    .wfi();
  return a;
}

describe('csrw minstret/mcycle suppresses the writing instruction\'s own increment', () => {
  for (const jit of [false, true]) {
    it(jit ? 'translated' : 'interpreted', () => {
      const { vcpu } = rawHart(program(), { jit, jitHot: 16 });
      let exit;
      for (let i = 0; i < 100 && (exit = vcpu.run(100_000)).kind === 'yield'; i++);
      expect(exit).toEqual({ kind: 'wfi' });
      if (jit) expect(vcpu.jitPages).toBeGreaterThan(0);
      expect([R.a0, R.a1, R.a2, R.a4].map((r) => vcpu.reg(r))).toEqual([0n, 4n, 1002n, 1000n]);
      expect(vcpu.reg(R.a3)).toBe(9n); // the 9 instructions retired since minstret was zeroed
      expect(vcpu.instret).toBe(BigInt(2 + 1 + ITERS * 14 + 1)); // li, li(1), loop body, wfi
    });
  }
});
