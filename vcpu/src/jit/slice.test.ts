/**
 * Translated code runs past a slice end while run() has nothing to do
 * (assembly/slice.ts). These tests catch it running on when it must not:
 * the budget stays exact, and a timer interrupt, an epoch change and a kick
 * that arrive while a translated loop spins are seen within a slice plus a
 * block, as in the interpreter. The guest clock is derived from instret (as
 * in lockstep mode), so each run repeats exactly.
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from '../test-support/rv-asm.js';
import { rawHart, type RawHart } from '../test-support/raw-hart.js';
import { bumpEpoch } from '../handshake.js';
import { HART_BASE, H_ACK_EPOCH } from '../layout.js';

const S2 = 18;
const SLICE_AND_BLOCK = 1024 + 256;

/** M-mode: a timer handler that records minstret in s2 and waits in wfi;
 *  then an in-page loop that never ends by itself. */
function spinner(timer: boolean): Asm {
  return new Asm()
    .la(R.t0, 'trap').csrw(CSR.mtvec, R.t0)
    .li(R.t0, 1 << 7).csrw(CSR.mie, R.t0) // MTIE: run() asks the clock every slice
    .li(R.t0, timer ? 8 : 0).csrs(CSR.mstatus, R.t0) // MIE only when the timer is to be taken
    .label('loop')
    .addi(R.a0, R.a0, 1).addi(R.a1, R.a1, 3)
    .j('loop')
    .label('trap')
    .csrr(S2, CSR.minstret)
    .csrw(CSR.mie, R.zero)
    .wfi();
}

/** mtime = instret / 10, as lockstep's clock; `onTime` runs at every clock read. */
function hart(a: Asm, jit: boolean, onTime: (h: RawHart) => void = () => {}): RawHart {
  const h = rawHart(a, { jit, jitHot: 1 });
  Object.defineProperty(h.clock, 'now', { get: () => { onTime(h); return h.vcpu.instret / 10n; } });
  return h;
}

describe('translated code across slice ends', () => {
  it('keeps the budget exact: the same state as the interpreter after every run', () => {
    const budgets = [1, 7, 1023, 1024, 1025, 4096 + 5, 100_003, 1_000_000, 333];
    const states = [false, true].map((jit) => {
      const { vcpu } = hart(spinner(false), jit);
      vcpu.mtimecmp = (1n << 62n); // armed, never due
      return budgets.map((b) => {
        const before = vcpu.instret;
        expect(vcpu.run(b)).toEqual({ kind: 'yield' });
        return { ran: vcpu.instret - before, pc: vcpu.pc, a0: vcpu.reg(R.a0), a1: vcpu.reg(R.a1), translated: vcpu.engineCounters.translated > 0n };
      });
    });
    expect(states[1].map(({ translated, ...s }) => s)).toEqual(states[0].map(({ translated, ...s }) => s));
    expect(states[1].map((s) => s.ran)).toEqual(budgets.map(BigInt));
    expect(states[1].at(-1)!.translated).toBe(true);
  });

  it('takes a timer interrupt that comes due inside a translated loop within a slice', () => {
    const due = 1_000_000n;
    const taken = [false, true, true].map((jit) => {
      const { vcpu } = hart(spinner(true), jit);
      vcpu.mtimecmp = due / 10n;
      expect(vcpu.run(50_000_000)).toEqual({ kind: 'wfi' });
      if (jit) expect(vcpu.engineCounters.translated).toBeGreaterThan(due * 9n / 10n);
      return vcpu.reg(S2);
    });
    for (const at of taken) {
      expect(at).toBeGreaterThanOrEqual(due);
      expect(at).toBeLessThanOrEqual(due + BigInt(SLICE_AND_BLOCK));
    }
    expect(taken[2]).toBe(taken[1]); // the same instruction every time
  });

  it('acknowledges an epoch change and returns on a kick while a translated loop spins', () => {
    for (const jit of [false, true]) {
      let epoch = 0, bumpedAt = -1n, ackedAt = -1n, kickedAt = -1n;
      const ack = (h: RawHart): number => new Int32Array(h.memory.buffer)[(HART_BASE + H_ACK_EPOCH) >> 2];
      const { vcpu } = hart(spinner(false), jit, (h) => {
        const now = h.vcpu.instret;
        if (bumpedAt < 0n && now >= 300_000n) { epoch = bumpEpoch(h.memory); bumpedAt = now; }
        if (bumpedAt >= 0n && ackedAt < 0n && ack(h) === epoch) ackedAt = now;
        if (kickedAt < 0n && now >= 600_000n) { h.vcpu.kick(); kickedAt = now; }
      });
      vcpu.mtimecmp = (1n << 62n);
      expect(vcpu.run(50_000_000)).toEqual({ kind: 'yield' });
      expect(ackedAt - bumpedAt).toBeLessThanOrEqual(BigInt(2 * SLICE_AND_BLOCK));
      expect(ackedAt).toBeGreaterThan(bumpedAt);
      expect(vcpu.instret - kickedAt).toBeLessThanOrEqual(BigInt(SLICE_AND_BLOCK));
      if (jit) expect(vcpu.engineCounters.translated).toBeGreaterThan(500_000n);
    }
  });
});
