import { describe, expect, it } from 'vitest';
import { initrdFormat, placeInitrd } from './initrd.js';
import { LoadError } from './load-error.js';

const gz = (n: number): Uint8Array => { const b = new Uint8Array(n); b.set([0x1f, 0x8b]); return b; };

describe('initrd placement', () => {
  it('goes page-aligned as high as it fits below the ceiling', () => {
    expect(placeInitrd(gz(10_000), { floor: 0x8040_0000, ceiling: 0x87df_f000 })).toEqual({ start: 0x87dfc000, end: 0x87dfc000 + 10_000 });
  });

  it('recognises cpio and compressed archives, refuses others and empty files', () => {
    expect(initrdFormat(new TextEncoder().encode('070701000000'))).toBe('cpio');
    expect(initrdFormat(gz(4))).toBe('gzip');
    expect(initrdFormat(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd');
    const err = (d: Uint8Array, room = { floor: 0, ceiling: 1 << 30 }): string => {
      try { placeInitrd(d, room); } catch (e) { return (e as LoadError).code; }
      return 'ok';
    };
    expect(err(new TextEncoder().encode('just text'))).toBe('bad-initrd');
    expect(err(new Uint8Array(0))).toBe('bad-initrd');
    expect(err(gz(0x20_0000), { floor: 0x8010_0000, ceiling: 0x8020_0000 })).toBe('ram-too-small');
  });
});
