import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('package graph', () => {
  it('points one way only: machine <- vcpu <- dsm <- node-agent <- coordinator <- lab <- cli <- bench', () => {
    const out = execFileSync(process.execPath, ['scripts/check-deps.mjs'], { encoding: 'utf8' });
    expect(out).toContain('package graph ok');
  });
});
