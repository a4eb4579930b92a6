import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIRMWARE_PATHS, loadFirmware } from './firmware.js';
import { fakeImage } from '../test-support/boot-files.js';
import { LoadError } from './load-error.js';

const RAM = { base: 0x8000_0000, size: 64 * 2 ** 20 };
const code = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof LoadError) return e.code; throw e; }
  return 'ok';
};

describe('firmware loader', () => {
  it('loads a raw binary at the start of RAM', () => {
    const fw = loadFirmware(new Uint8Array(300_000).fill(0x13), RAM);
    expect(fw).toMatchObject({ entry: 0x8000_0000, end: 0x8000_0000 + 300_000 });
  });

  it.skipIf(!existsSync('/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf'))('loads OpenSBI fw_dynamic.elf by its physical addresses', () => {
    const fw = loadFirmware(readFileSync('/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf'), RAM);
    expect(fw.entry).toBe(0x8000_0000);
    expect(fw.end).toBeLessThan(0x8020_0000);
  });

  it('finds a default fw_dynamic when opensbi or qemu-system-data is installed', () => {
    if (!DEFAULT_FIRMWARE_PATHS.some((p) => existsSync(p))) return;
    const path = DEFAULT_FIRMWARE_PATHS.find((p) => existsSync(p))!;
    expect(loadFirmware(readFileSync(path), RAM).entry).toBe(0x8000_0000);
  });

  it('refuses an empty file, a Linux Image, a DTB, a bad ELF', () => {
    expect(code(() => loadFirmware(new Uint8Array(0), RAM))).toBe('bad-firmware');
    expect(code(() => loadFirmware(fakeImage(), RAM))).toBe('bad-firmware');
    expect(code(() => loadFirmware(new Uint8Array([0xd0, 0x0d, 0xfe, 0xed, 0, 0]), RAM))).toBe('bad-firmware');
    expect(code(() => loadFirmware(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1]), RAM))).toBe('bad-firmware');
  });
});
