import { describe, expect, it } from 'vitest';
import { encodeFdt } from '../fdt/fdt-blob.js';
import { patchChosen } from '../fdt/chosen.js';
import { virtFdtBlob } from '../fdt/virt-fdt.js';
import { cells, fdtPath, readFdt, strings } from '../test-support/fdt-reader.js';
import { loadDtb } from './dtb.js';
import { LoadError } from './load-error.js';

const RAM = { base: 0x8000_0000, size: 128 * 2 ** 20 };

describe('--dtb loader', () => {
  it('decodes a blob back to the same bytes, and patches /chosen like QEMU', () => {
    const blob = virtFdtBlob({ harts: 2, ram: RAM, bootargs: 'old' });
    expect(encodeFdt(loadDtb(blob))).toEqual(blob);
    const t = readFdt(encodeFdt(patchChosen(loadDtb(blob), { bootargs: 'console=hvc0', initrd: { start: 0x8700_0000, end: 0x8700_1000 } })));
    const chosen = fdtPath(t, '/chosen')!;
    expect(strings(chosen.props.get('bootargs')!)).toEqual(['console=hvc0']);
    expect(cells(chosen.props.get('linux,initrd-end')!)).toEqual([0, 0x8700_1000]);
    expect(strings(chosen.props.get('stdout-path')!)).toEqual(['/soc/serial@10000000']); // the rest is kept
    // no command line given: the blob's own stays
    const kept = readFdt(encodeFdt(patchChosen(loadDtb(blob), {})));
    expect(strings(fdtPath(kept, '/chosen')!.props.get('bootargs')!)).toEqual(['old']);
  });

  it('refuses a blob with a bad magic, a bad version, a truncated one', () => {
    const blob = virtFdtBlob({ harts: 1, ram: RAM, bootargs: '' });
    const err = (b: Uint8Array): string => {
      try { loadDtb(b); } catch (e) { return `${(e as LoadError).code}: ${(e as Error).message}`; }
      return 'ok';
    };
    expect(err(new TextEncoder().encode('not a device tree at all, no sir'.repeat(2)))).toMatch(/^bad-dtb: dtb: .*bad magic/);
    expect(err(blob.subarray(0, blob.length - 8))).toMatch(/^bad-dtb: dtb: truncated/);
    const v1 = blob.slice();
    new DataView(v1.buffer).setUint32(20, 3);
    expect(err(v1)).toMatch(/^bad-dtb: dtb: .*version/);
    const tok = blob.slice();
    new DataView(tok.buffer).setUint32(new DataView(tok.buffer).getUint32(8), 7); // first token
    expect(err(tok)).toMatch(/^bad-dtb: dtb: bad device tree token/);
  });
});
