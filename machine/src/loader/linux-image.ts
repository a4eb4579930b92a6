/**
 * The RISC-V Linux `Image` (arch/riscv/boot/Image, a flat binary) as QEMU's
 * `-kernel` loads it: recognised by its 64-byte header
 * (Documentation/riscv/boot-image-header.rst), copied 2 MiB-aligned to the
 * first 2 MiB boundary at or above `base` (the start of RAM with `-bios
 * none`, 0x80200000 above OpenSBI) and entered at its first byte.
 * `image_size` (bss included) is what the kernel occupies, so nothing else
 * may be placed there.
 *
 * @example
 *   if (isLinuxImage(bytes)) {
 *     const k = loadLinuxImage(bytes, ram, 0x8000_0000);  // k.entry = 0x80000000, k.end = entry + image_size
 *   }
 */
import type { RamRange } from './elf.js';
import { alignUp, hex, LoadError } from './load-error.js';

export const IMAGE_HEADER_SIZE = 64;
/** "RISCV\0\0\0" at +48 (deprecated but still written) and "RSC\x05" at +56. */
const MAGIC = [0x52, 0x49, 0x53, 0x43, 0x56, 0, 0, 0];
const MAGIC2 = [0x52, 0x53, 0x43, 0x05];
/** A 64-bit RISC-V kernel is placed on a 2 MiB (PMD) boundary. */
export const IMAGE_ALIGN = 2 * 2 ** 20;

export interface LinuxImageHeader {
  /** Offset from a 2 MiB-aligned base the kernel was linked for (informative: QEMU loads at the boundary). */
  textOffset: number;
  /** Bytes the kernel occupies from its load address, bss included (0 in old headers: the file size). */
  imageSize: number;
  flags: number;
  /** Header version major.minor. */
  version: [number, number];
}

export interface LinuxImage {
  header: LinuxImageHeader;
  /** Load address = entry (S-mode, a0 = hartid, a1 = FDT, satp = 0). */
  entry: number;
  /** First byte past what the kernel occupies (load address + image_size). */
  end: number;
  data: Uint8Array;
}

const at = (file: Uint8Array, off: number, bytes: number[]): boolean => bytes.every((b, i) => file[off + i] === b);

/** Whether `file` starts with a RISC-V Linux Image header (both magics). */
export function isLinuxImage(file: Uint8Array): boolean {
  return file.length >= IMAGE_HEADER_SIZE && at(file, 48, MAGIC) && at(file, 56, MAGIC2);
}

export function linuxImageHeader(file: Uint8Array): LinuxImageHeader {
  if (!isLinuxImage(file)) throw new LoadError('bad-kernel', 'not a RISC-V Linux Image (no "RISCV"/"RSC\\x05" magic at +48/+56)');
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const textOffset = Number(v.getBigUint64(8, true));
  const imageSize = Number(v.getBigUint64(16, true));
  const flags = Number(v.getBigUint64(24, true));
  const version = v.getUint32(32, true);
  if (flags & 1) throw new LoadError('bad-kernel', 'Linux Image is big-endian (header flags bit 0)');
  if (imageSize !== 0 && imageSize < file.length) {
    throw new LoadError('bad-kernel', `Linux Image header says image_size ${hex(imageSize)}, less than the file's ${hex(file.length)} bytes`);
  }
  return { textOffset, imageSize: imageSize || file.length, flags, version: [version >>> 16, version & 0xffff] };
}

/** The Image loaded at the first 2 MiB boundary at or above `base`; it must fit in RAM with its bss. */
export function loadLinuxImage(file: Uint8Array, ram: RamRange, base: number): LinuxImage {
  const header = linuxImageHeader(file);
  const entry = alignUp(base, IMAGE_ALIGN);
  const end = entry + header.imageSize;
  if (end > ram.base + ram.size) {
    throw new LoadError('ram-too-small',
      `the Linux Image needs ${hex(entry)}..${hex(end)} but RAM ends at ${hex(ram.base + ram.size)}: give more --mem`);
  }
  return { header, entry, end, data: file };
}
