import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { TestMachine } from '../test-support/machine.js';
import { Vcpu } from '../vcpu.js';
import { createNodeMemory, mapAllRam, writeGpa } from '../memory.js';
import * as ops from './ops.js';

/** Translate after 16 slices (the default waits ~10^6 instructions; these guests are short). */
const HOT = 16;
const guest = (name: string) => new URL(`../../test-guests/${name}.elf`, import.meta.url);

/** Architectural state after running `name` to its end. */
function runTo(name: string, jit: boolean) {
  const m = new TestMachine({ jit, jitHot: HOT });
  m.loadElf(guest(name));
  const r = m.run(1_000_000, 50_000_000);
  const h = m.harts[0];
  return {
    code: r.code, uart: r.uart, instret: h.instret, pc: h.pc,
    x: Array.from({ length: 32 }, (_, i) => h.reg(i)), f: Array.from({ length: 32 }, (_, i) => h.freg(i)),
    pages: h.jitPages,
  };
}

describe('translator', () => {
  for (const name of ['loop', 'alu', 'rv64i', 'rvc', 'traps', 'vm', 'amo', 'fp', 'timing']) {
    it(`${name}: same registers, pc and instret with the translator on and off`, () => {
      const off = runTo(name, false);
      const on = runTo(name, true);
      const { pages, ...stateOn } = on;
      const { pages: offPages, ...stateOff } = off;
      expect(offPages).toBe(0);
      expect(stateOn).toEqual(stateOff);
      if (name === 'loop' || name === 'alu') expect(pages).toBeGreaterThan(0);
    });
  }

  it('counts instructions run translated and what translation cost', () => {
    const counters = (jit: boolean) => {
      const m = new TestMachine({ jit, jitHot: HOT });
      m.loadElf(guest('loop'));
      m.run(1_000_000, 50_000_000);
      const h = m.harts[0];
      return { instret: h.instret, c: h.engineCounters, stats: h.jitStats, pages: h.jitPages };
    };
    const on = counters(true), off = counters(false);
    expect(off.c.translated).toBe(0n);
    expect(off.stats).toBeUndefined();
    expect(on.c.translated).toBeGreaterThan(on.instret / 2n); // the loop runs translated
    expect(on.c.translated).toBeLessThanOrEqual(on.instret);
    expect(on.stats!.pages).toBe(on.pages);
    expect(on.stats!.insns).toBeGreaterThan(0);
    expect(on.stats!.bodyBytes).toBeGreaterThan(on.stats!.insns);
    expect(on.stats!.ms).toBeGreaterThan(0);
  });

  it('a store into a translated loop changes what runs next (self-modifying code)', () => {
    // 0x00 lui t0,0x10 | 0x04 li a0,0 | 0x08 loop: addi a0,a0,1 | 0x0c addi t0,t0,-1 | 0x10 bnez t0,loop
    // 0x14 bnez a1,done | 0x18 lui t1,%hi(addi a0,a0,2) | 0x1c addi t1,t1,%lo | 0x20 auipc t2,0
    // 0x24 sw t1,-0x18(t2) | 0x28 li a1,1 | 0x2c lui t0,0x10 | 0x30 j loop | 0x34 done: j done
    const I = (imm: number, rs1: number, f3: number, rd: number, opc: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
    const U = (imm20: number, rd: number, opc: number) => (imm20 << 12) | (rd << 7) | opc;
    const B = (off: number, rs2: number, rs1: number, f3: number) =>
      (((off >> 12) & 1) << 31) | (((off >> 5) & 63) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (((off >> 1) & 15) << 8) | (((off >> 11) & 1) << 7) | 0x63;
    const J = (off: number, rd: number) =>
      (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
    const S = (imm: number, rs2: number, rs1: number, f3: number) => (((imm >> 5) & 127) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | 0x23;
    const addi2 = I(2, 10, 0, 10, 0x13);
    const hi = (addi2 + 0x800) >>> 12, lo = addi2 - (hi << 12);
    const prog = [
      U(0x10, 5, 0x37), I(0, 0, 0, 10, 0x13), I(1, 10, 0, 10, 0x13), I(-1, 5, 0, 5, 0x13), B(-8, 0, 5, 1),
      B(0x20, 0, 11, 1), U(hi & 0xfffff, 6, 0x37), I(lo, 6, 0, 6, 0x1b), U(0, 7, 0x17), S(-0x18, 6, 7, 2),
      I(1, 0, 0, 11, 0x13), U(0x10, 5, 0x37), J(-0x28, 0), J(0, 0),
    ];
    const result = (jit: boolean) => {
      const memory = createNodeMemory({ ramBytes: 1 << 20, harts: 1 });
      mapAllRam(memory);
      writeGpa(memory, 0x8000_0000, new Uint8Array(new Uint32Array(prog.map((x) => x >>> 0)).buffer));
      const v = new Vcpu(undefined, memory, 0, { jit, jitHot: HOT, mtime: () => 0n });
      v.reset(0x8000_0000n);
      for (let k = 0; k < 100 && v.pc !== 0x8000_0034n; k++) v.run(100_000);
      return { a0: v.reg(10), instret: v.instret, pages: v.jitPages };
    };
    const on = result(true), off = result(false);
    expect(on.pages).toBeGreaterThan(0);
    expect(on.a0).toBe(3n * 0x10000n);
    expect({ ...on, pages: 0 }).toEqual({ ...off, pages: 0 });
  });

  it('ops.ts matches the op numbers of assembly/decode.ts', () => {
    const src = readFileSync(new URL('../../assembly/decode.ts', import.meta.url), 'utf8');
    const asOps = new Map<string, number>();
    for (const m of src.matchAll(/export const (OP_\w+): u32 = (\d+);/g)) asOps.set(m[1], Number(m[2]));
    for (const [k, v] of Object.entries(ops)) if (typeof v === 'number' && k !== 'OP_JIT') expect([k, asOps.get(k)]).toEqual([k, v]);
    const jitSrc = readFileSync(new URL('../../assembly/jit.ts', import.meta.url), 'utf8');
    expect(jitSrc).toContain(`export const OP_JIT: u32 = ${ops.OP_JIT};`);
  });
});
