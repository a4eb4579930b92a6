import { describe, expect, it } from 'vitest';
import { isLinuxImage, linuxImageHeader, loadLinuxImage } from './linux-image.js';
import { LoadError } from './load-error.js';
import { fakeImage } from '../test-support/boot-files.js';

const RAM = { base: 0x8000_0000, size: 64 * 2 ** 20 };

const code = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof LoadError) return e.code; throw e; }
  return 'ok';
};

describe('Linux Image loader', () => {
  it('reads the header and loads 2 MiB-aligned at or above the base', () => {
    const img = fakeImage();
    expect(isLinuxImage(img)).toBe(true);
    expect(linuxImageHeader(img)).toEqual({ textOffset: 0x20_0000, imageSize: 0x10_0000, flags: 0, version: [0, 2] });
    expect(loadLinuxImage(img, RAM, RAM.base)).toMatchObject({ entry: 0x8000_0000, end: 0x8010_0000 });
    expect(loadLinuxImage(img, RAM, 0x8004_a000).entry).toBe(0x8020_0000); // above firmware
  });

  it('reads the committed guest/linux Image header', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const path = new URL('../../../guest/linux/out/Image', import.meta.url);
    if (!existsSync(path)) return;
    expect(linuxImageHeader(readFileSync(path))).toMatchObject({ textOffset: 0x20_0000, imageSize: 0x3e_0000, version: [0, 2] });
  });

  it('refuses what is not an Image, a big-endian one, a short image_size, one past RAM', () => {
    expect(isLinuxImage(fakeImage({ magic2: false }))).toBe(false);
    expect(code(() => linuxImageHeader(new TextEncoder().encode('hello')))).toBe('bad-kernel');
    expect(code(() => linuxImageHeader(fakeImage({ flags: 1 })))).toBe('bad-kernel');
    expect(code(() => linuxImageHeader(fakeImage({ imageSize: 100 })))).toBe('bad-kernel');
    expect(code(() => loadLinuxImage(fakeImage({ imageSize: 128 * 2 ** 20 }), RAM, RAM.base))).toBe('ram-too-small');
  });
});
