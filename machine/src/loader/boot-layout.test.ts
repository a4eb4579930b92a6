import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildVirtFdt } from '../fdt/virt-fdt.js';
import type { ChosenPatch } from '../fdt/chosen.js';
import { cells, fdtPath, readFdt } from '../test-support/fdt-reader.js';
import { fakeImage } from '../test-support/boot-files.js';
import { FW_JUMP_FDT_ADDR, layoutBoot, type BootFiles } from './boot-layout.js';
import { ElfError } from './elf.js';
import { LoadError } from './load-error.js';
import { FW_DYNAMIC_MAGIC } from './reset-rom.js';

const RAM = { base: 0x8000_0000, size: 128 * 2 ** 20 };
const tree = (c: ChosenPatch) => buildVirtFdt({ harts: 2, ram: RAM, bootargs: c.bootargs ?? '', initrd: c.initrd });
const initrd = (n: number): Uint8Array => { const b = new Uint8Array(n); b.set([0x1f, 0x8b]); return b; };
const hello = readFileSync(new URL('../../../guest/bin/hello.elf', import.meta.url));
const lay = (f: Partial<BootFiles>, ram = RAM) => layoutBoot({ kernel: fakeImage(), firmware: { kind: 'sbi' }, bootargs: 'x', ...f }, ram, tree);
const code = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof LoadError || e instanceof ElfError) return e.code; throw e; }
  return 'ok';
};

describe('boot layout', () => {
  it('--bios none: the Image at the start of RAM, the initrd under the FDT, advertised in /chosen', () => {
    const l = lay({ initrd: initrd(100_000) });
    expect(l).toMatchObject({ mode: 'sbi', pc: 0x8000_0000, kernelEntry: 0x8000_0000, fdtAddr: 0x87e0_0000 });
    expect(l.initrd!.end).toBeLessThanOrEqual(l.fdtAddr);
    expect(l.initrd!.start % 4096).toBe(0);
    const fdt = readFdt(l.pieces.find((p) => p.what === 'device tree')!.data);
    expect(cells(fdtPath(fdt, '/chosen')!.props.get('linux,initrd-start')!)).toEqual([0, l.initrd!.start]);
    expect(l.pieces.map((p) => p.what)).toEqual(['kernel', 'initrd', 'device tree']);
  });

  it('firmware: at 0x80000000, the Image at 0x80200000, a reset ROM with fw_dynamic_info under the FDT', () => {
    const l = lay({ firmware: { kind: 'image', bytes: new Uint8Array(0x4_a000).fill(0x13) }, initrd: initrd(5000) });
    expect(l.kernelEntry).toBe(0x8020_0000);
    const rom = l.pieces.find((p) => p.what === 'reset ROM')!;
    expect(l.pc).toBe(rom.gpa);
    expect(rom.gpa).toBe(l.fdtAddr - 4096);
    const v = new DataView(rom.data.buffer, rom.data.byteOffset);
    expect(v.getBigUint64(24, true)).toBe(0x8000_0000n); // jumps to the firmware
    expect(v.getBigUint64(32, true)).toBe(BigInt(l.fdtAddr)); // a1
    expect([40, 48, 56, 64, 72, 80].map((o) => v.getBigUint64(o, true)))
      .toEqual([BigInt(FW_DYNAMIC_MAGIC), 2n, 0x8020_0000n, 1n, 0n, 0xffff_ffff_ffff_ffffn]);
    expect(l.initrd!.end).toBeLessThanOrEqual(rom.gpa);
  });

  it('a bare-metal ELF keeps its layout; a vmlinux-style ELF enters at its physical entry', () => {
    const l = layoutBoot({ kernel: hello, firmware: { kind: 'bare' }, bootargs: '' }, RAM, tree);
    expect(l.pc).toBe(0x8000_0000);
    const vm = hello.slice();
    const d = new DataView(vm.buffer);
    const phoff = Number(d.getBigUint64(32, true));
    const vaddr = 0xffff_ffff_8000_0000n;
    d.setBigUint64(24, vaddr + (d.getBigUint64(24, true) - 0x8000_0000n), true); // e_entry virtual
    for (let i = 0; i < d.getUint16(56, true); i++) {
      const ph = phoff + i * 56;
      d.setBigUint64(ph + 16, vaddr + (d.getBigUint64(ph + 24, true) - 0x8000_0000n), true); // p_vaddr high, p_paddr kept
    }
    expect(layoutBoot({ kernel: vm, firmware: { kind: 'sbi' }, bootargs: '' }, RAM, tree).pc).toBe(0x8000_0000);
  });

  it('refuses bad files with their code, before anything is loaded', () => {
    expect(code(() => lay({ kernel: new TextEncoder().encode('nope') }))).toBe('bad-kernel');
    expect(code(() => layoutBoot({ kernel: new TextEncoder().encode('nope'), firmware: { kind: 'bare' }, bootargs: '' }, RAM, tree))).toBe('not-elf');
    expect(code(() => layoutBoot({ kernel: fakeImage(), firmware: { kind: 'bare' }, bootargs: '' }, RAM, tree))).toBe('bad-kernel');
    expect(code(() => lay({ initrd: new TextEncoder().encode('text') }))).toBe('bad-initrd');
    expect(code(() => lay({ dtb: new Uint8Array(64) }))).toBe('bad-dtb');
    expect(code(() => lay({ firmware: { kind: 'image', bytes: new Uint8Array(0) } }))).toBe('bad-firmware');
    expect(code(() => lay({ initrd: initrd(4 * 2 ** 20) }, { base: RAM.base, size: 4 * 2 ** 20 }))).toBe('ram-too-small');
  });

  it('keeps fw_jump\'s device tree copy at 0x82200000 free', () => {
    const small = { base: RAM.base, size: 40 * 2 ** 20 }; // the FDT at 0x82600000, a 5 MiB initrd under it covers 0x82200000
    expect(FW_JUMP_FDT_ADDR).toBe(0x8220_0000);
    expect(code(() => lay({ firmware: { kind: 'image', bytes: new Uint8Array(4096).fill(0x13) }, initrd: initrd(5 * 2 ** 20) }, small))).toBe('ram-too-small');
  });
});
