import { describe, expect, it } from 'vitest';
import { parseResultLine, parseResultOutput } from './result-line.js';

const LINE =
  'RESULT name=memscan harts=2 size=1048576 iters=2 checksum=0x00ab12cd34ef5678 ticks=123 instret=456 tbfreq=10000000 verify=ok';

describe('parseResultLine', () => {
  it('reads the fixed and the workload fields', () => {
    const r = parseResultLine(LINE);
    expect(r.name).toBe('memscan');
    expect(r.harts).toBe(2);
    expect(r.verified).toBe(true);
    expect(r.checksum).toBe('0x00ab12cd34ef5678');
    expect(r.int('size')).toBe(1048576n);
    expect(r.int('checksum')).toBe(0x00ab12cd34ef5678n);
    expect(r.fields.iters).toBe('2');
  });

  it('reports verify=fail as not verified', () => {
    expect(parseResultLine(LINE.replace('verify=ok', 'verify=fail')).verified).toBe(false);
  });

  it('rejects malformed lines with a clear error', () => {
    expect(() => parseResultLine('hello')).toThrow(/not a RESULT line/);
    expect(() => parseResultLine(LINE.replace(' ticks=123', ''))).toThrow(/lacks ticks=/);
    expect(() => parseResultLine(LINE + ' size=3')).toThrow(/repeated/);
    expect(() => parseResultLine(LINE + ' junk')).toThrow(/bad RESULT token/);
    expect(() => parseResultLine(LINE).int('nope')).toThrow(/no nope=/);
    expect(() => parseResultLine(LINE.replace('verify=ok', 'verify=maybe'))).toThrow(/verify=maybe/);
  });

  it('finds exactly one line in program output', () => {
    expect(parseResultOutput(`boot\n${LINE}\n`).name).toBe('memscan');
    expect(() => parseResultOutput('no result\n')).toThrow(/found 0/);
    expect(() => parseResultOutput(`${LINE}\n${LINE}\n`)).toThrow(/found 2/);
  });
});
