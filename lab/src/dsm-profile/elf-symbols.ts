/**
 * The `.symtab` of an ELF64 little-endian file (a `vmlinux` or a bare-metal
 * guest) as System.map-like entries: functions become T, objects D, others t.
 */
import { SymbolTable } from './symbol-table.js';

const SHT_SYMTAB = 2;
const STT_OBJECT = 1;
const STT_FUNC = 2;
const STT_SECTION = 3;
const STT_FILE = 4;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Throws a RangeError when the file is not an ELF64 LE with a symbol table. */
export function elfSymbols(bytes: Uint8Array): SymbolTable {
  if (!isElf(bytes) || bytes[4] !== 2 || bytes[5] !== 1) throw new RangeError('not a 64-bit little-endian ELF');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(v.getBigUint64(0x28, true));
  const shentsize = v.getUint16(0x3a, true);
  const shnum = v.getUint16(0x3c, true);
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    return { type: v.getUint32(o + 4, true), offset: Number(v.getBigUint64(o + 0x18, true)), size: Number(v.getBigUint64(o + 0x20, true)), link: v.getUint32(o + 0x28, true) };
  };
  const raw: Array<{ name: string; type: string; addr: bigint }> = [];
  const text = new TextDecoder();
  for (let i = 0; i < shnum; i++) {
    const sh = section(i);
    if (sh.type !== SHT_SYMTAB) continue;
    const strtab = section(sh.link);
    for (let o = sh.offset; o + 24 <= sh.offset + sh.size; o += 24) {
      const kind = v.getUint8(o + 4) & 0xf;
      if (kind === STT_SECTION || kind === STT_FILE) continue;
      const nameAt = strtab.offset + v.getUint32(o, true);
      let end = nameAt;
      while (end < bytes.length && bytes[end] !== 0) end++;
      const name = text.decode(bytes.subarray(nameAt, end));
      if (name === '' || name.startsWith('$')) continue; // mapping symbols ($x, $d)
      raw.push({ name, addr: v.getBigUint64(o + 8, true), type: kind === STT_FUNC ? 'T' : kind === STT_OBJECT ? 'D' : 't' });
    }
  }
  if (raw.length === 0) throw new RangeError('the ELF has no symbol table (stripped?)');
  return SymbolTable.of(raw);
}
