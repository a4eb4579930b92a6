/**
 * Where every boot file goes in guest RAM and how the harts start: the one
 * composition of the loaders, used by the CLI (to refuse bad files before
 * any agent starts), by CreateVm (the same check on the coordinator) and by
 * Vm.create (the real layout). QEMU virt's layout:
 *
 * ```
 *   RAM base  firmware (--bios: M-mode, fw_dynamic/fw_jump)   | or the kernel (no firmware)
 *   2 MiB ↑   kernel (Image: first 2 MiB boundary past the firmware; ELF: by p_paddr)
 *             ... free ...
 *             initrd (page-aligned, as high as it fits)
 *             reset ROM page (firmware only: a0/a1/a2 + fw_dynamic_info, then jump to the firmware)
 *   2 MiB ↓   device tree (2 MiB-aligned below the end of RAM, or 3 GiB)
 * ```
 *
 * Modes: `bare` (`unum run X.elf`, QEMU's `-bios none` with a bare-metal
 * ELF): every hart at the entry in M-mode. `sbi` (`--kernel F`, `--bios
 * none`): the node's built-in SBI; the kernel enters in S-mode on hart 0
 * (a0 = 0, a1 = FDT, satp = 0), the others wait for HSM hart_start.
 * `firmware`: every hart starts at the reset ROM in M-mode.
 *
 * @example
 *   const l = layoutBoot({ kernel, initrd, bootargs: 'console=hvc0', firmware: { kind: 'sbi' } }, ram,
 *     (chosen) => buildVirtFdt({ harts, ram, bootargs: chosen.bootargs ?? '', initrd: chosen.initrd }));
 *   for (const p of l.pieces) load(p.gpa, p.data);
 *   start({ pc: l.pc, a1: l.fdtAddr });
 */
import { PAGE_SIZE } from '../board/memory-map.js';
import { encodeFdt, type FdtNode } from '../fdt/fdt-blob.js';
import { fdtAddress } from '../fdt/virt-fdt.js';
import { patchChosen, type ChosenPatch } from '../fdt/chosen.js';
import { loadDtb } from './dtb.js';
import { ElfError, parseElf, type RamRange } from './elf.js';
import { loadFirmware } from './firmware.js';
import { placeInitrd, type InitrdPlace } from './initrd.js';
import { isLinuxImage, loadLinuxImage } from './linux-image.js';
import { hex, LoadError } from './load-error.js';
import { resetRom } from './reset-rom.js';

export type BootFirmware = { kind: 'bare' } | { kind: 'sbi' } | { kind: 'image'; bytes: Uint8Array };
export type BootMode = BootFirmware['kind'];

export interface BootFiles {
  kernel: Uint8Array;
  initrd?: Uint8Array;
  /** Used instead of the generated tree (its /chosen patched). */
  dtb?: Uint8Array;
  firmware: BootFirmware;
  bootargs: string;
}

export interface BootPiece {
  gpa: number;
  data: Uint8Array;
  /** Bytes reserved from gpa (≥ data.length: bss). */
  size: number;
  what: 'firmware' | 'kernel' | 'initrd' | 'reset ROM' | 'device tree';
}

export interface BootLayout {
  mode: BootMode;
  /** What to copy where, in load order. */
  pieces: BootPiece[];
  /** Where harts start (the kernel, or the reset ROM under firmware). */
  pc: number;
  /** a1 of every hart. */
  fdtAddr: number;
  /** The kernel's entry (fw_dynamic_info.next_addr under firmware). */
  kernelEntry: number;
  initrd?: InitrdPlace;
}

/** OpenSBI fw_jump (generic platform) copies the device tree here: nothing else may sit there. */
export const FW_JUMP_FDT_ADDR = 0x8220_0000;

export function layoutBoot(files: BootFiles, ram: RamRange, generated: (chosen: ChosenPatch) => FdtNode): BootLayout {
  const mode = files.firmware.kind;
  const pieces: BootPiece[] = [];
  let floor = ram.base;
  if (files.firmware.kind === 'image') {
    const fw = loadFirmware(files.firmware.bytes, ram);
    for (const s of fw.segments) pieces.push({ gpa: s.gpa, data: s.data, size: s.memsz, what: 'firmware' });
    floor = fw.end;
  }
  const kernelEntry = loadKernel(files.kernel, ram, mode, floor, pieces);
  const kernelEnd = Math.max(...pieces.map((p) => p.gpa + p.size));

  const tree = (chosen: ChosenPatch): Uint8Array =>
    encodeFdt(files.dtb ? patchChosen(loadDtb(files.dtb), { ...chosen, bootargs: files.bootargs }) : generated({ ...chosen, bootargs: files.bootargs }));
  const placeholder = files.initrd ? { start: 0, end: 0 } : undefined;
  const sized = tree({ initrd: placeholder });
  let fdtAddr: number;
  try {
    fdtAddr = fdtAddress(ram, sized.length);
  } catch {
    throw new LoadError('ram-too-small', 'RAM too small for the device tree: give more --mem');
  }
  let ceiling = fdtAddr;
  const romAddr = fdtAddr - PAGE_SIZE;
  if (mode === 'image') ceiling = romAddr;
  const initrd = files.initrd ? placeInitrd(files.initrd, { floor: kernelEnd, ceiling }) : undefined;
  if (files.initrd && initrd) pieces.push({ gpa: initrd.start, data: files.initrd, size: files.initrd.length, what: 'initrd' });
  const fdt = tree({ initrd });
  if (fdt.length !== sized.length) throw new Error('device tree changed size once the initrd was placed');
  if (mode === 'image') {
    const firmware = pieces.find((p) => p.what === 'firmware')!;
    const rom = resetRom({ firmware: firmware.gpa, fdt: fdtAddr, nextAddr: kernelEntry });
    pieces.push({ gpa: romAddr, data: rom, size: rom.length, what: 'reset ROM' });
  }
  pieces.push({ gpa: fdtAddr, data: fdt, size: fdt.length, what: 'device tree' });
  checkOverlaps(pieces, mode === 'image' ? fdt.length : 0);
  const pc = mode === 'image' ? romAddr : kernelEntry;
  return { mode, pieces, pc, fdtAddr, kernelEntry, initrd };
}

/** The kernel's pieces (appended to `pieces`) and its entry. */
function loadKernel(file: Uint8Array, ram: RamRange, mode: BootMode, floor: number, pieces: BootPiece[]): number {
  if (isLinuxImage(file)) {
    if (mode === 'bare') throw new LoadError('bad-kernel', 'a Linux Image needs SBI: boot it with --kernel (built-in SBI) or --bios');
    const k = loadLinuxImage(file, ram, floor);
    pieces.push({ gpa: k.entry, data: k.data, size: k.end - k.entry, what: 'kernel' });
    return k.entry;
  }
  try {
    const img = parseElf(file, ram);
    for (const s of img.segments) pieces.push({ gpa: s.gpa, data: s.data, size: s.memsz, what: 'kernel' });
    return img.entry;
  } catch (e) {
    if (!(e instanceof ElfError)) throw e;
    // A bare-metal run keeps the ELF loader's own words; --kernel also takes an Image.
    if (mode === 'bare') throw e;
    const msg = e.code === 'not-elf' ? 'neither an ELF nor a RISC-V Linux Image (bad magic)' : e.message;
    throw new LoadError(e.code === 'segment-outside-ram' ? 'ram-too-small' : 'bad-kernel', `kernel: ${msg}`, { cause: e });
  }
}

function checkOverlaps(pieces: BootPiece[], fwJumpFdt: number): void {
  for (let i = 0; i < pieces.length; i++) {
    const a = pieces[i]!;
    for (let j = i + 1; j < pieces.length; j++) {
      const b = pieces[j]!;
      if (a.what === b.what) continue; // an ELF's own segments are its business
      if (a.gpa < b.gpa + b.size && b.gpa < a.gpa + a.size) {
        const code = b.what === 'device tree' || b.what === 'initrd' ? 'ram-too-small' : 'overlap';
        throw new LoadError(code, `RAM too small or files overlap: the ${b.what} at ${hex(b.gpa)} overlaps the ${a.what} at ${hex(a.gpa)}..${hex(a.gpa + a.size)}`);
      }
    }
    if (fwJumpFdt && a.what !== 'device tree' && a.gpa < FW_JUMP_FDT_ADDR + fwJumpFdt && FW_JUMP_FDT_ADDR < a.gpa + a.size) {
      throw new LoadError('ram-too-small', `the ${a.what} at ${hex(a.gpa)} covers ${hex(FW_JUMP_FDT_ADDR)}, where OpenSBI fw_jump copies the device tree: give more --mem`);
    }
  }
}
