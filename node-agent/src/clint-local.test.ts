import { describe, expect, it } from 'vitest';
import { LocalClint } from './clint-local.js';
import { CLINT_BASE, decodeClint } from '@unum/machine';
import { Clock } from './clock.js';
import { HartWords } from './hart-words.js';
import { FRAMES, IRQ_MSIP } from './node-layout.js';

function rig() {
  const words = new HartWords(new SharedArrayBuffer(FRAMES));
  const clock = new Clock(Clock.now());
  return { words, clint: new LocalClint(words, clock, 2) };
}

describe('CLINT register map', () => {
  it('decodes msip, mtimecmp halves and mtime', () => {
    expect(decodeClint(CLINT_BASE + 4)).toEqual({ reg: 'msip', hart: 1 });
    expect(decodeClint(CLINT_BASE + 0x4008)).toEqual({ reg: 'mtimecmp', hart: 1, high: false });
    expect(decodeClint(CLINT_BASE + 0x400c)).toEqual({ reg: 'mtimecmp', hart: 1, high: true });
    expect(decodeClint(CLINT_BASE + 0xbff8)).toEqual({ reg: 'mtime', high: false });
    expect(decodeClint(CLINT_BASE + 0xbffc)).toEqual({ reg: 'mtime', high: true });
    expect(decodeClint(CLINT_BASE + 0xc000)).toEqual({ reg: 'none' });
  });
});

describe('LocalClint', () => {
  it('drives the target hart MSIP pin and reads it back', () => {
    const { words, clint } = rig();
    clint.write(CLINT_BASE + 4, 4, 1n);
    expect(words.hostIrq(1) & IRQ_MSIP).toBe(IRQ_MSIP);
    expect(words.hostIrq(0) & IRQ_MSIP).toBe(0);
    expect(clint.read(CLINT_BASE + 4, 4)).toBe(1n);
    clint.write(CLINT_BASE + 4, 4, 0n);
    expect(clint.read(CLINT_BASE + 4, 4)).toBe(0n);
  });

  it('stores mtimecmp whole or by 32-bit halves', () => {
    const { words, clint } = rig();
    clint.write(CLINT_BASE + 0x4000, 8, 0x1_0000_0002n);
    expect(words.mtimecmp(0)).toBe(0x1_0000_0002n);
    clint.write(CLINT_BASE + 0x4004, 4, 0xffff_ffffn);
    expect(words.mtimecmp(0)).toBe(0xffff_ffff_0000_0002n);
    expect(clint.read(CLINT_BASE + 0x4004, 4)).toBe(0xffff_ffffn);
    expect(clint.read(CLINT_BASE + 0x4000, 4)).toBe(2n);
  });

  it('reads mtime from the 10 MHz clock, monotonically', async () => {
    const { clint } = rig();
    const a = clint.read(CLINT_BASE + 0xbff8, 8);
    await new Promise((r) => setTimeout(r, 5));
    const b = clint.read(CLINT_BASE + 0xbff8, 8);
    expect(b - a).toBeGreaterThanOrEqual(40_000n); // >= 4 ms of ticks
    expect(b - a).toBeLessThan(10_000_000n);
  });
});
