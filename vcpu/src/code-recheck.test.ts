import { describe, it, expect } from 'vitest';
import { Asm, R } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';
import { writeGpa } from './memory.js';
import { bumpEpoch } from './handshake.js';

// fence.i and epoch changes do not drop decoded and translated code: they
// mark it suspect, and a page is compared with the bytes it was decoded
// from before its next use. These check both halves: unchanged code keeps
// its translation, and code another writer changed (here the host, as the
// DSM or another hart would) runs in its new form.

const addiA0 = (imm: number): number => ((imm << 20) | (R.a0 << 15) | (R.a0 << 7) | 0x13) >>> 0;

function loop(withFenceI: boolean): Asm {
  const a = new Asm();
  a.li(R.a0, 0).label('loop').addi(R.a0, R.a0, 1);
  if (withFenceI) a.fenceI();
  return a.j('loop');
}

/** a0 gained per loop iteration over the next `steps` steps. */
function stepOf(h: ReturnType<typeof rawHart>, steps: number, perIter: number): number {
  const a0 = h.vcpu.reg(R.a0), n = h.vcpu.instret;
  h.vcpu.run(steps);
  const iters = Number(h.vcpu.instret - n) / perIter;
  return Number(h.vcpu.reg(R.a0) - a0) / iters;
}

describe('code recheck after fence.i and epoch changes', () => {
  for (const jit of [false, true]) {
    it(`an epoch change keeps unchanged code${jit ? ' and its translation' : ''}`, () => {
      const h = rawHart(loop(false), { jit, jitHot: 16 });
      h.vcpu.run(200_000);
      const pages = h.vcpu.jitPages, before = h.vcpu.engineCounters;
      if (jit) expect(pages).toBeGreaterThan(0);
      for (let k = 0; k < 20; k++) { bumpEpoch(h.memory); h.vcpu.run(10_000); }
      const after = h.vcpu.engineCounters;
      expect(after.dcFlushes - before.dcFlushes).toBe(20n);
      expect(after.dcStale).toBe(0n);
      expect(h.vcpu.jitPages).toBe(pages); // nothing was translated again
      if (jit) expect(after.translated - before.translated).toBeGreaterThan(190_000n);
    });

    it(`code the host rewrote runs after an epoch change${jit ? ' (translated)' : ''}`, () => {
      const a = loop(false);
      const h = rawHart(a, { jit, jitHot: 16 });
      expect(stepOf(h, 200_000, 2)).toBe(1);
      writeGpa(h.memory, a.addr('loop'), new Uint8Array(new Uint32Array([addiA0(2)]).buffer));
      bumpEpoch(h.memory);
      h.vcpu.run(1); // lands on an iteration boundary below either way
      const stale = h.vcpu.engineCounters.dcStale;
      expect(stale).toBe(1n);
      expect(stepOf(h, 100_001, 2)).toBeCloseTo(2, 3);
    });

    it(`code the host rewrote runs after the guest's fence.i${jit ? ' (translator on)' : ''}`, () => {
      const a = loop(true);
      const h = rawHart(a, { jit, jitHot: 16 });
      expect(stepOf(h, 30_000, 3)).toBe(1);
      writeGpa(h.memory, a.addr('loop'), new Uint8Array(new Uint32Array([addiA0(3)]).buffer));
      h.vcpu.run(3); // one fence.i at most three steps away
      expect(h.vcpu.engineCounters.dcStale).toBe(1n);
      expect(stepOf(h, 30_000, 3)).toBe(3);
    });
  }
});
