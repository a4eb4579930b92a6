import { describe, expect, it } from 'vitest';
import { diffDumps, parseDump } from './dump-diff.js';

const dump = (x5: string, trap = ''): string =>
  `x1 0000000000000001\nx5 ${x5}\nf0 ffffffff3f800000\n${trap}fcsr 0000000000000001\nend\n`;

describe('dump-diff', () => {
  it('parses name/value lines and multi-value trap lines', () => {
    const m = parseDump(dump('00000000000000ff', 'trap 0000000000000002 0000000080000010 0000000000000000\n'));
    expect(m.get('x5')).toBe('00000000000000ff');
    expect(m.get('trap')).toBe('0000000000000002 0000000080000010 0000000000000000');
    expect(m.has('end')).toBe(false);
  });

  it('is empty for equal dumps and names every differing or missing entry', () => {
    expect(diffDumps(dump('0000000000000000'), dump('0000000000000000'))).toEqual([]);
    expect(diffDumps(dump('0000000000000000'), dump('8000000000000000'))).toEqual([
      'x5: qemu=0000000000000000 unum=8000000000000000',
    ]);
    expect(diffDumps(dump('0000000000000000'), 'x1 0000000000000001\n')).toContain('x5: qemu=0000000000000000 unum=(missing)');
    // a line the parser does not understand still counts
    expect(diffDumps(`${dump('0')}odd line\n`, `${dump('0')}other\n`)).toEqual(['line 6: qemu="odd line" unum="other"']);
  });
});
