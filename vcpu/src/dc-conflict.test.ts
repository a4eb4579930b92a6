/**
 * The decode cache is direct-mapped by host frame: two code pages whose
 * frames are DC_PAGES apart share one directory entry, and entering one
 * evicts the other together with its heat and translation. With 256
 * entries (1 MiB), Linux's inflate_fast (the initramfs unpack, ~110 M of the
 * boot's ~230 M instructions) shared its entry with a page the timer path
 * visits every few ms and was never translated. 1024 entries (4 MiB) hold
 * the whole kernel text: here a loop that calls a page 1 MiB away on every
 * pass still gets translated.
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';
import { writeGpa } from './memory.js';
import { DC_PAGES } from './layout.js';

const FAR = 0x8010_0000; // 1 MiB after the loop: the same entry in a 256-page directory
const INNER = 4096;
const HOT = 64; // slices: more than one pass of the inner loop ends

/** An inner loop of 4096 passes (about 12 slices), then a call to FAR (by
 *  mret: M-mode, MPP = M), forever. */
function caller(): Asm {
  return new Asm()
    .label('outer')
    .li(R.s1, INNER)
    .label('inner')
    .addi(R.a0, R.a0, 1).addi(R.s1, R.s1, -1)
    .bne(R.s1, R.zero, 'inner')
    .la(R.ra, 'outer')
    .li(R.t0, FAR).csrw(CSR.mepc, R.t0)
    .li(R.t1, 3 << 11).csrs(CSR.mstatus, R.t1)
    .mret();
}

/** At FAR: count the visit and return to ra. */
const CALLEE = new Uint8Array(new Uint32Array([
  0x0015_8593, // addi a1, a1, 1
  0x0000_8067, // jalr zero, 0(ra)
]).buffer);

describe('decode cache directory', () => {
  it('has room for 4 MiB of code', () => {
    expect(DC_PAGES * 4096).toBeGreaterThanOrEqual(4 << 20);
  });

  it('translates a hot loop that calls a page 1 MiB away on every pass', () => {
    const { vcpu, memory } = rawHart(caller(), { jit: true, jitHot: HOT });
    writeGpa(memory, FAR, CALLEE);
    expect(vcpu.run(4_000_000)).toEqual({ kind: 'yield' });
    const passes = vcpu.reg(R.a1);
    expect(passes).toBeGreaterThan(100n); // the far page ran on every pass
    expect(vcpu.reg(R.a0)).toBeGreaterThanOrEqual(passes * BigInt(INNER));
    // most instructions ran translated: the loop's page kept its heat and its translation
    expect(vcpu.engineCounters.translated).toBeGreaterThan(2_000_000n);
  });
});
