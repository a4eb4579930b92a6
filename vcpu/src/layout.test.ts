import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as layout from './layout.js';

describe('layout', () => {
  it('TS constants equal the AssemblyScript ones, one for one', () => {
    const src = readFileSync(new URL('../assembly/layout.ts', import.meta.url), 'utf8');
    const asConsts = new Map<string, number>();
    for (const m of src.matchAll(/export const (\w+): \w+ = ([^;]+);/g)) asConsts.set(m[1], Number(m[2].replace(/_/g, '')));
    expect(asConsts.size).toBeGreaterThan(50);
    const tsConsts = Object.entries(layout).filter(([, v]) => typeof v === 'number');
    expect(new Map(tsConsts)).toEqual(asConsts);
  });
  it('hart state fields fit in the 64 KiB region and regions do not overlap', () => {
    expect(layout.H_TLB_CODE + layout.TLB_ENTRIES * 16).toBeLessThanOrEqual(layout.HART_STRIDE);
    expect(layout.HART_BASE + layout.MAX_HARTS * layout.HART_STRIDE).toBeLessThanOrEqual(layout.GPA_TABLE);
    expect(layout.CTABLE + 0x10000 * 4).toBeLessThanOrEqual(layout.NODE_CTRL);
  });
});
