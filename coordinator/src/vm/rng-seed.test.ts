import { describe, expect, it } from 'vitest';
import { fdtRngSeed } from './rng-seed.js';

describe('fdtRngSeed', () => {
  it('is the same 64 bytes in every lockstep run', () => {
    const a = fdtRngSeed({ kind: 'lockstep', quantum: 1000 });
    expect(a).toHaveLength(64);
    expect([...fdtRngSeed({ kind: 'lockstep', quantum: 5000 })]).toEqual([...a]);
  });
  it('is fresh host entropy when free-running', () => {
    const a = fdtRngSeed({ kind: 'free' });
    expect(a).toHaveLength(64);
    expect([...fdtRngSeed({ kind: 'free' })]).not.toEqual([...a]);
  });
});
