import { describe, expect, it } from 'vitest';
import { FaultAffinity } from './fault-affinity.js';

const policy = () => new FaultAffinity({ self: 0, window: 8, share: 0.75, settleWindows: 1 });

/** Feed `n` faults of hart 3 served by `by`; the last answer. */
function feed(p: FaultAffinity, by: number[], hart = 3): Array<number | undefined> {
  return by.map((n) => p.served(hart, n));
}

describe('FaultAffinity', () => {
  it('names the node that served most of a window, at the window\'s end', () => {
    const p = policy();
    const answers = feed(p, [1, 1, 2, 1, 1, 1, 1, 2]);
    expect(answers.slice(0, 7)).toEqual(Array(7).fill(undefined));
    expect(answers[7]).toBe(1); // 6 of 8 >= 75 %
  });

  it('stays put when no node has the share, and ignores faults this node served', () => {
    const p = policy();
    expect(feed(p, [1, 2, 1, 2, 1, 2, 1, 2]).at(-1)).toBeUndefined();
    expect(feed(p, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).every((a) => a === undefined)).toBe(true); // own faults: no window closes
    expect(feed(p, [1, 1, 1, 1, 1, 1, 1, 1]).at(-1)).toBe(1);
  });

  it('a hart that just arrived sits out its settle windows', () => {
    const p = policy();
    p.arrived(3);
    expect(feed(p, Array(8).fill(1)).at(-1)).toBeUndefined();
    expect(feed(p, Array(8).fill(1)).at(-1)).toBe(1);
    p.left(3);
    expect(feed(p, Array(8).fill(2)).at(-1)).toBe(2); // a new hart here: no settling owed
  });
});
