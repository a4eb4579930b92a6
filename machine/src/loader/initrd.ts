/**
 * The initial RAM disk (`-initrd F`): copied as is, page-aligned, as high in
 * RAM as it fits below `ceiling` (the boot layout passes the page under the
 * device tree) and above `floor` (the end of the kernel), and advertised in
 * /chosen as `linux,initrd-start` / `linux,initrd-end` (end exclusive).
 * Linux accepts a cpio archive (usually compressed) or a filesystem image;
 * anything else is refused here rather than found out by the guest.
 *
 * @example
 *   const r = placeInitrd(readFileSync('initramfs.cpio.gz'), { floor: kernelEnd, ceiling: fdtAddr });
 *   // r.start is page-aligned; r.end = r.start + file size
 */
import { PAGE_SIZE } from '../board/memory-map.js';
import { alignDown, hex, LoadError } from './load-error.js';

export interface InitrdPlace {
  start: number;
  /** Exclusive. */
  end: number;
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
/** Formats Linux unpacks or mounts as an initrd, by their leading bytes. */
const FORMATS: Array<{ name: string; magic: number[]; at?: number }> = [
  { name: 'cpio', magic: ascii('07070') },
  { name: 'gzip', magic: [0x1f, 0x8b] },
  { name: 'bzip2', magic: ascii('BZh') },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'lzma', magic: [0x5d, 0x00, 0x00] },
  { name: 'lzo', magic: [0x89, 0x4c, 0x5a, 0x4f] },
  { name: 'lz4', magic: [0x02, 0x21, 0x4c, 0x18] },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'squashfs', magic: ascii('hsqs') },
  { name: 'cramfs', magic: [0x45, 0x3d, 0xcd, 0x28] },
  { name: 'ext2/3/4', magic: [0x53, 0xef], at: 1080 },
];

/** The initrd's format, or undefined if Linux would not recognise it. */
export function initrdFormat(data: Uint8Array): string | undefined {
  return FORMATS.find((f) => f.magic.every((b, i) => data[(f.at ?? 0) + i] === b))?.name;
}

export function placeInitrd(data: Uint8Array, room: { floor: number; ceiling: number }): InitrdPlace {
  if (data.length === 0) throw new LoadError('bad-initrd', 'the initrd is empty');
  if (!initrdFormat(data)) {
    throw new LoadError('bad-initrd', `not an initrd: neither a cpio archive (plain or ${FORMATS.slice(1, 8).map((f) => f.name).join('/')}) nor a filesystem image`);
  }
  const start = alignDown(room.ceiling - data.length, PAGE_SIZE);
  if (start < room.floor) {
    throw new LoadError('ram-too-small',
      `the initrd (${hex(data.length)} bytes) does not fit between the kernel's end ${hex(room.floor)} and ${hex(room.ceiling)}: give more --mem`);
  }
  return { start, end: start + data.length };
}
