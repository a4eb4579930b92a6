/**
 * Pause-loop exit: a hart that runs PAUSE after PAUSE (a spin-wait loop, as
 * Linux's locks) ends its run with a spinning yield, so the host can give
 * its core to the hart being waited for; the instructions retired stay
 * exact. A plain FENCE loop, or PAUSEs far apart, run on to the budget.
 */
import { describe, it, expect } from 'vitest';
import { Asm } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';
import { writeGpa } from './memory.js';

const PAUSE = 0x0100_000f; // fence w, 0
const FENCE = 0x0ff0_000f; // fence iorw, iorw
const ADDI_A0 = 0x0015_0513; // addi a0, a0, 1
/** `j` back over `words` instructions (J-type immediate). */
function jBack(words: number): number {
  const imm = -4 * words;
  return (((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3ff) << 21 | ((imm >> 11) & 1) << 20 | ((imm >> 12) & 0xff) << 12 | 0x6f) >>> 0;
}

/** A hart running `body` followed by a jump back to its start, forever. */
function loop(body: number[]) {
  const h = rawHart(new Asm());
  const words = [...body, jBack(body.length)];
  writeGpa(h.memory, 0x8000_0000, new Uint8Array(new Uint32Array(words).buffer));
  return h.vcpu;
}

describe('pause-loop exit', () => {
  it('ends a run of a PAUSE loop after 64 pauses, with the instructions retired', () => {
    const vcpu = loop([PAUSE]);
    expect(vcpu.run(1_000_000)).toEqual({ kind: 'yield', spinning: true });
    expect(vcpu.instret).toBe(127n); // 64 pauses and the 63 jumps between them
    expect(vcpu.pc).toBe(0x8000_0004n); // past the 64th pause
    expect(vcpu.run(1_000_000)).toEqual({ kind: 'yield', spinning: true }); // a new run counts again
    expect(vcpu.instret).toBe(127n + 128n); // from the jump: 64 pauses, 64 jumps
  });

  it('lets a FENCE loop and PAUSEs far apart run to the budget', () => {
    const fences = loop([FENCE]);
    expect(fences.run(100_000)).toEqual({ kind: 'yield' });
    expect(fences.instret).toBe(100_000n);
    const sparse = loop([PAUSE, ...Array<number>(40).fill(ADDI_A0)]);
    expect(sparse.run(100_000)).toEqual({ kind: 'yield' });
    expect(sparse.instret).toBe(100_000n);
  });
});
