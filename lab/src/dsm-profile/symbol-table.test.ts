import { describe, expect, it } from 'vitest';
import { SymbolTable } from './symbol-table.js';

const MAP = `ffffffff80000000 T _start
ffffffff80002000 T _stext
ffffffff80002000 T _text
ffffffff80002100 T schedule
ffffffff80002400 t helper
0000000000000200 A PECOFF_FILE_ALIGNMENT
ffffffff80010000 D _sdata
ffffffff80010000 D runqueues_lock
ffffffff80010040 D jiffies
ffffffff80011000 B __bss_start
ffffffff80011000 B big_table
ffffffff80013000 B _end
`;

describe('SymbolTable', () => {
  const syms = SymbolTable.fromSystemMap(MAP);

  it('finds the symbol covering an address; absolute symbols and aliases are left out', () => {
    expect(syms.at(0xffffffff80002180n)?.name).toBe('schedule');
    expect(syms.at(0xffffffff80002000n)?.name).toBe('_stext'); // _stext and _text: one kept
    expect(syms.addressOf('_text')).toBe(0xffffffff80002000n); // but both still named
    expect(syms.addressOf('PECOFF_FILE_ALIGNMENT')).toBeUndefined();
    expect(syms.at(0xffffffff80010000n)?.name).toBe('runqueues_lock'); // not the _sdata marker
    expect(syms.at(0x1000n)).toBeUndefined();
  });

  it('lists the owners of a page, most bytes first', () => {
    const owners = syms.overlapping(0xffffffff80010000n, 0xffffffff80011000n).map((o) => [o.sym.name, o.bytes]);
    expect(owners).toEqual([['jiffies', 0xfc0], ['runqueues_lock', 0x40]]);
    const bss = syms.overlapping(0xffffffff80012000n, 0xffffffff80013000n).map((o) => o.sym.name);
    expect(bss).toEqual(['big_table']);
  });

  it('refuses a file that is not a System.map', () => {
    expect(() => SymbolTable.fromSystemMap('hello world\n')).toThrow(/line 1 is not/);
    expect(() => SymbolTable.fromSystemMap('\n')).toThrow(/no symbols/);
  });
});
