import { describe, expect, it } from 'vitest';
import { acrossNodesCmdline } from './linux-across-nodes.js';

describe('acrossNodesCmdline', () => {
  it('names CPUs 1..N-1, with isolcpus only when isolating', () => {
    expect(acrossNodesCmdline(2, false)).toBe('nohz_full=1-1');
    expect(acrossNodesCmdline(4, true)).toBe('nohz_full=1-3 isolcpus=domain,1-3');
  });
  it('adds nothing for one vCPU and refuses a count below one', () => {
    expect(acrossNodesCmdline(1, true)).toBe('');
    expect(() => acrossNodesCmdline(0, false)).toThrow(RangeError);
  });
});
