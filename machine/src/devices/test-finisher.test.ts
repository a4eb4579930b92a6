import { describe, expect, it } from 'vitest';
import type { FinishOutcome } from './device.js';
import { TestFinisher } from './test-finisher.js';

describe('SiFive test finisher', () => {
  it('decodes pass, fail with code, and reset; ignores other values', () => {
    const seen: FinishOutcome[] = [];
    const f = new TestFinisher({ finish: (o) => seen.push(o) });
    f.write(0, 4, 0x1234n);
    f.write(0, 4, 0x5555n);
    f.write(0, 4, (42n << 16n) | 0x3333n);
    f.write(0, 4, 0x7777n);
    f.write(8, 4, 0x5555n);
    expect(seen).toEqual([{ kind: 'pass' }, { kind: 'fail', code: 42 }, { kind: 'reset' }]);
  });
});
