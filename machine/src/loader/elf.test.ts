import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ElfError, elfSymbols, parseElf } from './elf.js';

const RAM = { base: 0x8000_0000, size: 1 << 20 };

/** A minimal ELF64 with one PT_LOAD of `data` at `paddr`. */
function elf(opts: { cls?: number; machine?: number; type?: number; paddr?: number; data?: number[]; memsz?: number } = {}): Uint8Array {
  const data = opts.data ?? [0x13, 0, 0, 0];
  const buf = new Uint8Array(64 + 56 + data.length);
  const v = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, opts.cls ?? 2, 1, 1]);
  v.setUint16(16, opts.type ?? 2, true);
  v.setUint16(18, opts.machine ?? 243, true);
  v.setBigUint64(24, BigInt(opts.paddr ?? RAM.base), true);
  v.setBigUint64(32, 64n, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, 1, true);
  v.setUint32(64, 1, true); // PT_LOAD
  v.setBigUint64(64 + 8, 120n, true);
  v.setBigUint64(64 + 24, BigInt(opts.paddr ?? RAM.base), true);
  v.setBigUint64(64 + 32, BigInt(data.length), true);
  v.setBigUint64(64 + 40, BigInt(opts.memsz ?? data.length), true);
  buf.set(data, 120);
  return buf;
}

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ElfError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('parseElf', () => {
  it('returns entry and segments of a valid RISC-V executable', () => {
    const img = parseElf(elf({ memsz: 64 }), RAM);
    expect(img.entry).toBe(RAM.base);
    expect(img.segments).toHaveLength(1);
    expect(img.segments[0]!.gpa).toBe(RAM.base);
    expect([...img.segments[0]!.data]).toEqual([0x13, 0, 0, 0]);
    expect(img.segments[0]!.memsz).toBe(64);
  });

  it('rejects each kind of bad file with its own code', () => {
    expect(code(() => parseElf(new TextEncoder().encode('#!/bin/sh\n'), RAM))).toBe('not-elf');
    expect(code(() => parseElf(elf({ cls: 1 }), RAM))).toBe('wrong-class');
    expect(code(() => parseElf(elf({ machine: 62 }), RAM))).toBe('wrong-machine');
    expect(code(() => parseElf(elf({ type: 3 }), RAM))).toBe('wrong-type');
    expect(code(() => parseElf(elf({ paddr: 0x1000 }), RAM))).toBe('segment-outside-ram');
    expect(code(() => parseElf(elf({ memsz: RAM.size + 4 }), RAM))).toBe('segment-outside-ram');
    expect(code(() => parseElf(elf().subarray(0, 100), RAM))).toBe('truncated');
    expect(code(() => parseElf(elf().subarray(0, 122), RAM))).toBe('truncated');
    expect(code(() => parseElf(elf().subarray(0, 40), RAM))).toBe('truncated');
  });
});

describe('elfSymbols', () => {
  it('reads the symbol table of a committed guest: _start is the entry', () => {
    const file = new Uint8Array(readFileSync(new URL('../../../guest/bin/hello.elf', import.meta.url)));
    const img = parseElf(file, { base: RAM.base, size: 128 << 20 });
    const symbols = elfSymbols(file);
    expect(symbols.get('_start')).toBe(BigInt(img.entry));
  });

  it('is empty for a file without section headers', () => {
    expect(elfSymbols(elf()).size).toBe(0);
  });
});
