/**
 * ELF64 RISC-V executable parser: validates the file and lists the PT_LOAD
 * segments to copy into guest RAM. It does not touch memory itself, so the
 * same result can be written through any GuestRam (FramePool today, a
 * remote node's pool later).
 *
 * @example
 *   const image = parseElf(readFileSync('hello.elf'), { base: 0x8000_0000, size: 128 << 20 });
 *   for (const s of image.segments) ram.write(s.gpa, s.data); // bytes past data.length stay zero
 *
 * One of the board's loaders (loader/): each turns a file into what to copy
 * where and where to start.
 */
export type ElfErrorCode =
  | 'not-elf' | 'wrong-class' | 'wrong-endian' | 'wrong-machine' | 'wrong-type'
  | 'truncated' | 'segment-outside-ram' | 'no-segments';

export class ElfError extends Error {
  override readonly name = 'ElfError';
  constructor(readonly code: ElfErrorCode, message: string) {
    super(message);
  }
}

export interface LoadSegment {
  /** Guest-physical load address (p_paddr, as QEMU's -kernel loader uses). */
  gpa: number;
  /** File bytes; the rest of memsz is zero-filled. */
  data: Uint8Array;
  memsz: number;
}

export interface ElfImage {
  /** Physical entry: e_entry, or, when that is a link-time virtual address (a vmlinux), where it lands by p_paddr. */
  entry: number;
  segments: LoadSegment[];
}

export interface RamRange { base: number; size: number }

const EM_RISCV = 243;
const ET_EXEC = 2;
const PT_LOAD = 1;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;

const hex = (n: number): string => `0x${n.toString(16)}`;

export function parseElf(file: Uint8Array, ram: RamRange): ElfImage {
  const magicOk = file.length >= 4 && file[0] === 0x7f && file[1] === 0x45 && file[2] === 0x4c && file[3] === 0x46;
  if (!magicOk) throw new ElfError('not-elf', 'not an ELF file (bad magic)');
  if (file.length < EHDR_SIZE) throw new ElfError('truncated', `truncated ELF header (${file.length} bytes)`);
  if (file[4] !== 2) throw new ElfError('wrong-class', `ELF class ${file[4] === 1 ? 'ELF32' : file[4]} is not ELF64`);
  if (file[5] !== 1) throw new ElfError('wrong-endian', 'ELF is not little-endian');
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const machine = v.getUint16(18, true);
  if (machine !== EM_RISCV) throw new ElfError('wrong-machine', `ELF machine ${machine} is not RISC-V (243)`);
  const type = v.getUint16(16, true);
  if (type !== ET_EXEC) throw new ElfError('wrong-type', `ELF type ${type} is not an executable (ET_EXEC)`);

  const entry = Number(v.getBigUint64(24, true));
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  if (phnum > 0 && phentsize < PHDR_SIZE) throw new ElfError('truncated', `program header size ${phentsize} too small`);
  if (phoff + phnum * phentsize > file.length) throw new ElfError('truncated', 'program headers run past end of file');

  const segments: LoadSegment[] = [];
  let physEntry: number | undefined;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (v.getUint32(ph, true) !== PT_LOAD) continue;
    const offset = Number(v.getBigUint64(ph + 8, true));
    const vaddr = v.getBigUint64(ph + 16, true);
    const paddr = Number(v.getBigUint64(ph + 24, true));
    const filesz = Number(v.getBigUint64(ph + 32, true));
    const memsz = Number(v.getBigUint64(ph + 40, true));
    if (memsz === 0) continue;
    if (filesz > memsz) throw new ElfError('truncated', `segment ${i}: file size exceeds memory size`);
    if (offset + filesz > file.length) throw new ElfError('truncated', `segment ${i} runs past end of file`);
    if (paddr < ram.base || paddr + memsz > ram.base + ram.size) {
      throw new ElfError('segment-outside-ram',
        `segment ${i} at ${hex(paddr)}..${hex(paddr + memsz)} is outside RAM ${hex(ram.base)}..${hex(ram.base + ram.size)}`);
    }
    segments.push({ gpa: paddr, data: file.subarray(offset, offset + filesz), memsz });
    const e = v.getBigUint64(24, true);
    if (physEntry === undefined && e >= vaddr && e < vaddr + BigInt(memsz)) physEntry = paddr + Number(e - vaddr);
  }
  if (segments.length === 0) throw new ElfError('no-segments', 'ELF has no loadable segments');
  return { entry: physEntry ?? entry, segments };
}

const SHT_SYMTAB = 2;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

/**
 * The symbol table of an ELF64 (name → value), for tests and tools that look
 * up a guest's variables. Empty when the file has no .symtab (stripped).
 * Call parseElf first: this assumes a well-formed little-endian ELF64.
 */
export function elfSymbols(file: Uint8Array): Map<string, bigint> {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const symbols = new Map<string, bigint>();
  const shoff = Number(v.getBigUint64(40, true));
  const shentsize = v.getUint16(58, true);
  const shnum = v.getUint16(60, true);
  if (shnum === 0 || shentsize < SHDR_SIZE || shoff + shnum * shentsize > file.length) return symbols;
  const decoder = new TextDecoder();
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (v.getUint32(sh + 4, true) !== SHT_SYMTAB) continue;
    const off = Number(v.getBigUint64(sh + 24, true));
    const size = Number(v.getBigUint64(sh + 32, true));
    const link = v.getUint32(sh + 40, true);
    if (link >= shnum) throw new ElfError('truncated', `symbol table ${i} links to no string table`);
    const stroff = Number(v.getBigUint64(shoff + link * shentsize + 24, true));
    if (off + size > file.length) throw new ElfError('truncated', `symbol table ${i} runs past end of file`);
    for (let e = off; e + SYM_SIZE <= off + size; e += SYM_SIZE) {
      const start = stroff + v.getUint32(e, true);
      let end = start;
      while (end < file.length && file[end] !== 0) end++;
      const name = decoder.decode(file.subarray(start, end));
      if (name) symbols.set(name, v.getBigUint64(e + 8, true));
    }
  }
  return symbols;
}
