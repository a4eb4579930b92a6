/**
 * M-mode firmware (`--bios default|FILE`), as QEMU's `-bios` loads it: an
 * ELF by its physical addresses, anything else as a raw binary at the start
 * of RAM (OpenSBI's fw_dynamic.bin / fw_jump.bin are linked there). The
 * kernel then goes to the first 2 MiB boundary above it. `default` is
 * OpenSBI's fw_dynamic from Debian's `opensbi` or `qemu-system-data`
 * (DEFAULT_FIRMWARE_PATHS; the CLI reads the first that exists).
 *
 * @example
 *   const fw = loadFirmware(readFileSync(DEFAULT_FIRMWARE_PATHS[0]), ram);  // fw.entry = 0x80000000
 */
import { ElfError, parseElf, type LoadSegment, type RamRange } from './elf.js';
import { isLinuxImage } from './linux-image.js';
import { hex, LoadError } from './load-error.js';

/** Where `--bios default` looks, in order (Debian's opensbi package, then QEMU's copy). */
export const DEFAULT_FIRMWARE_PATHS = [
  '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin',
  '/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin',
];

export interface Firmware {
  entry: number;
  /** First byte past the firmware (the kernel goes at the next 2 MiB boundary). */
  end: number;
  segments: LoadSegment[];
}

const isElf = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

export function loadFirmware(file: Uint8Array, ram: RamRange): Firmware {
  if (file.length === 0) throw new LoadError('bad-firmware', 'the firmware file is empty');
  if (isLinuxImage(file)) throw new LoadError('bad-firmware', 'that is a Linux Image, not firmware: give it to --kernel');
  if (file.length >= 4 && new DataView(file.buffer, file.byteOffset).getUint32(0) === 0xd00dfeed) {
    throw new LoadError('bad-firmware', 'that is a device tree blob, not firmware: give it to --dtb');
  }
  if (isElf(file)) {
    try {
      const img = parseElf(file, ram);
      return { entry: img.entry, end: Math.max(...img.segments.map((s) => s.gpa + s.memsz)), segments: img.segments };
    } catch (e) {
      if (e instanceof ElfError) throw new LoadError('bad-firmware', e.message, { cause: e });
      throw e;
    }
  }
  const base = ram.base; // a raw image is linked for the start of DRAM
  if (base + file.length > ram.base + ram.size) {
    throw new LoadError('ram-too-small', `the firmware (${hex(file.length)} bytes) does not fit in RAM: give more --mem`);
  }
  return { entry: base, end: base + file.length, segments: [{ gpa: base, data: file, memsz: file.length }] };
}
