import { describe, expect, it } from 'vitest';
import { MoveBackoff } from './move-backoff.js';

describe('MoveBackoff', () => {
  it('lets a hart move at once, then waits twice as long after each move, up to the cap', () => {
    const b = new MoveBackoff({ baseMs: 100, maxMs: 300 });
    expect(b.allows(1, 0)).toBe(true);
    b.moved(1, 0);
    expect(b.allows(1, 99)).toBe(false);
    expect(b.allows(1, 100)).toBe(true);
    expect(b.allows(2, 99)).toBe(false); // no hart moves right after a move
    expect(b.allows(2, 100)).toBe(true);
    b.moved(1, 100);
    expect(b.allows(1, 299)).toBe(false);
    expect(b.allows(1, 300)).toBe(true);
    b.moved(1, 300);
    b.moved(1, 600);
    expect(b.allows(1, 899)).toBe(false); // 4th move would be 800 ms: capped at 300
    expect(b.allows(1, 900)).toBe(true);
  });
});
