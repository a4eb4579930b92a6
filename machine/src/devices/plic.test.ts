import { describe, expect, it } from 'vitest';
import { Plic } from './plic.js';

function rig(harts = 2) {
  const pins = new Map<string, boolean>();
  const plic = new Plic({ harts, hartExternalIrq: (h, m, level) => pins.set(`${h}${m}`, level) });
  const rd = (off: number): number => Number(plic.read(off));
  const wr = (off: number, v: number): void => plic.write(off, 4, BigInt(v));
  return { plic, pins, rd, wr };
}

const ENABLE = (c: number): number => 0x2000 + 0x80 * c;
const THRESHOLD = (c: number): number => 0x20_0000 + 0x1000 * c;
const CLAIM = (c: number): number => 0x20_0004 + 0x1000 * c;

describe('PLIC', () => {
  it('routes an enabled, prioritised source to the right hart and mode', () => {
    const p = rig();
    p.wr(4 * 10, 1);
    p.wr(ENABLE(3), 1 << 10); // context 3 = hart 1 S-mode
    p.plic.setLevel(10, true);
    expect(p.pins.get('1S')).toBe(true);
    expect(p.pins.has('0M')).toBe(false);
    expect(p.rd(0x1000) & (1 << 10)).toBe(1 << 10);
  });

  it('masks by priority 0 and by threshold', () => {
    const p = rig();
    p.wr(ENABLE(0), 1 << 5);
    p.plic.setLevel(5, true);
    expect(p.pins.get('0M')).toBeUndefined(); // priority 0 never interrupts
    p.wr(4 * 5, 2);
    expect(p.pins.get('0M')).toBe(true);
    p.wr(THRESHOLD(0), 2);
    expect(p.pins.get('0M')).toBe(false);
    expect(p.rd(THRESHOLD(0))).toBe(2);
  });

  it('claims the highest priority, lowest id first, and re-pends a level still high at complete', () => {
    const p = rig(1);
    p.wr(4 * 3, 1);
    p.wr(4 * 7, 5);
    p.wr(4 * 9, 5);
    p.wr(ENABLE(0), (1 << 3) | (1 << 7) | (1 << 9));
    for (const s of [3, 7, 9]) p.plic.setLevel(s, true);
    expect(p.rd(CLAIM(0))).toBe(7);
    expect(p.rd(CLAIM(0))).toBe(9);
    expect(p.rd(CLAIM(0))).toBe(3);
    expect(p.rd(CLAIM(0))).toBe(0);
    expect(p.pins.get('0M')).toBe(false);
    p.plic.setLevel(9, false);
    p.wr(CLAIM(0), 9); // complete with line low: stays idle
    p.wr(CLAIM(0), 7); // complete with line high: pending again
    expect(p.pins.get('0M')).toBe(true);
    expect(p.rd(CLAIM(0))).toBe(7);
  });

  it('ignores writes to source 0 and to read-only pending bits', () => {
    const p = rig(1);
    p.wr(ENABLE(0), 0xffff_ffff);
    expect(p.rd(ENABLE(0))).toBe(0xffff_fffe);
    p.wr(0x1000, 0xffff_ffff);
    expect(p.rd(0x1000)).toBe(0);
  });
});
