import { describe, expect, it } from 'vitest';
import { SecondChance } from './second-chance.js';

describe('SecondChance (the CLOCK replacement policy)', () => {
  it('evicts an unreferenced unit first, giving referenced ones a second chance', () => {
    const c = new SecondChance(8);
    for (const u of [1, 3, 5]) c.add(u); // all start referenced
    expect(c.victim()).toBe(1); // first turn clears 1,3,5; second turn finds 1
    c.remove(1);
    c.touch(3);
    expect(c.victim()).toBe(5); // 3 was touched again: skipped once
    expect(c.size).toBe(2);
  });

  it('skips units the caller refuses and non-resident units, and says -1 when nothing qualifies', () => {
    const c = new SecondChance(4);
    expect(c.victim()).toBe(-1);
    c.add(0);
    c.add(2);
    expect(c.victim((u) => u !== 0)).toBe(2);
    expect(c.victim(() => false)).toBe(-1);
  });

  it('touch on a non-resident unit does not make it resident', () => {
    const c = new SecondChance(4);
    c.touch(2);
    expect(c.has(2)).toBe(false);
    expect(c.victim()).toBe(-1);
  });
});
