import { describe, expect, it } from 'vitest';
import { GuestMap } from './guest-map.js';
import { SymbolTable } from './symbol-table.js';

const linux = SymbolTable.fromSystemMap(`ffffffff80000000 T _start
ffffffff80002000 T _stext
ffffffff80004000 T _etext
ffffffff80004000 D _sdata
ffffffff80004000 D jiffies
ffffffff80006000 D _edata
ffffffff80006000 B __bss_start
ffffffff80006000 B tk_core
ffffffff80008000 B __bss_stop
ffffffff80008000 B _end
`);

describe('GuestMap', () => {
  it('maps a kernel page to its link address from wherever the boot put the image', () => {
    // --bios none: the Image at the start of RAM; under OpenSBI: 2 MiB higher. Same symbols either way.
    for (const load of [0x8000_0000, 0x8020_0000]) {
      const map = new GuestMap([{ what: 'kernel', gpa: load, size: 0x8000 }, { what: 'initrd', gpa: 0x8400_0000, size: 0x1000 }], linux);
      expect(map.linux).toBe(true);
      expect(map.symbolAddress(load + 0x4010)).toBe(0xffffffff80004010n);
      expect(map.regionOf(load + 0x2000)).toBe('kernel text');
      expect(map.regionOf(load + 0x5000)).toBe('kernel data');
      expect(map.regionOf(load + 0x7000)).toBe('kernel bss');
      expect(map.regionOf(0x8400_0000)).toBe('initrd');
      expect(map.symbolAddress(0x8400_0000)).toBeUndefined(); // outside the image: no symbol owns it
      expect(map.regionOf(0x8f00_0000)).toBe('dynamic');
    }
  });

  it('bare-metal symbols are physical addresses', () => {
    const bare = SymbolTable.of([{ name: '_start', type: 'T', addr: 0x8000_0000n }, { name: 'mbox', type: 'D', addr: 0x8000_8000n }]);
    const map = new GuestMap([{ what: 'kernel', gpa: 0x8000_0000, size: 0x9000 }], bare);
    expect(map.linux).toBe(false);
    expect(map.symbolAddress(0x8000_8008)).toBe(0x8000_8008n);
  });
});
