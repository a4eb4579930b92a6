import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';
import { markdownTable } from './markdown-table.js';
import { spreadOf } from './median.js';

describe('report helpers', () => {
  it('CSV quotes fields with commas, quotes and newlines, and leaves empty cells for missing values', () => {
    expect(toCsv(['a', 'b', 'c'], [{ a: 1, b: 'x,y', c: undefined }, { a: 'say "hi"', b: 'l1\nl2', c: true }]))
      .toBe('a,b,c\n1,"x,y",\n"say ""hi""","l1\nl2",true\n');
  });

  it('markdown tables right-align numeric columns and escape pipes', () => {
    expect(markdownTable(['name', 'n'], [['a|b', '12'], ['c', '3.5K']])).toBe('| name | n |\n|---|---:|\n| a\\|b | 12 |\n| c | 3.5K |');
  });

  it('median and spread', () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, relSpread: 1 });
    expect(spreadOf([4, 2]).median).toBe(3);
    expect(spreadOf([]).median).toBeNaN();
  });
});
