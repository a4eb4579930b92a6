/** Minimal ELF64 little-endian RISC-V loader for tests: PT_LOAD segments and symbols. */
export interface ElfSegment { paddr: number; data: Uint8Array; memsz: number }
export interface ElfImage { entry: bigint; segments: ElfSegment[]; symbols: Map<string, bigint> }

export function parseElf(buf: Uint8Array): ElfImage {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 64 || dv.getUint32(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (buf[4] !== 2 || buf[5] !== 1) throw new Error('not a little-endian ELF64');
  if (dv.getUint16(18, true) !== 243) throw new Error('not a RISC-V ELF');
  const entry = dv.getBigUint64(24, true);
  const phoff = Number(dv.getBigUint64(32, true));
  const shoff = Number(dv.getBigUint64(40, true));
  const phentsize = dv.getUint16(54, true), phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true), shnum = dv.getUint16(60, true);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (dv.getUint32(p, true) !== 1) continue;
    const off = Number(dv.getBigUint64(p + 8, true));
    const paddr = Number(dv.getBigUint64(p + 24, true));
    const filesz = Number(dv.getBigUint64(p + 32, true));
    const memsz = Number(dv.getBigUint64(p + 40, true));
    if (off + filesz > buf.length) throw new Error('ELF segment outside file');
    segments.push({ paddr, data: buf.subarray(off, off + filesz), memsz });
  }
  const symbols = new Map<string, bigint>();
  for (let i = 0; i < shnum; i++) {
    const s = shoff + i * shentsize;
    if (dv.getUint32(s + 4, true) !== 2) continue; // SHT_SYMTAB
    const off = Number(dv.getBigUint64(s + 24, true));
    const size = Number(dv.getBigUint64(s + 32, true));
    const strtab = shoff + dv.getUint32(s + 40, true) * shentsize;
    const stroff = Number(dv.getBigUint64(strtab + 24, true));
    for (let e = off; e + 24 <= off + size; e += 24) {
      const nameOff = dv.getUint32(e, true);
      let end = stroff + nameOff;
      while (buf[end] !== 0) end++;
      const name = new TextDecoder().decode(buf.subarray(stroff + nameOff, end));
      if (name) symbols.set(name, dv.getBigUint64(e + 8, true));
    }
  }
  return { entry, segments, symbols };
}
