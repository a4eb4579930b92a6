/**
 * What a VM boots, as QEMU's `-kernel F [-initrd F] [-dtb F] [-bios
 * none|default|FILE] [-append ...]` say it, typed once at the edge (the
 * CLI's flags, CreateVm's request) and laid out by the board's loaders
 * (@unum/machine `layoutBoot`: docs/linux.md). `bootLayoutOf` is the one
 * check: the CLI runs it before any agent starts and the coordinator runs
 * it on a CreateVm request, so a bad file is the same one line everywhere.
 *
 * @example
 *   const boot: BootSpec = { kernel: image, initrd, firmware: { kind: 'sbi' }, bootargs: 'console=hvc0' };
 *   bootLayoutOf(boot, { vcpus: 2, memBytes: 256 << 20 });   // throws MachineError on a bad file
 */
import {
  buildVirtFdt, ElfError, layoutBoot, LoadError, RAM_BASE, type BootFirmware, type BootLayout, type ChosenPatch, type FdtNode,
} from '@unum/machine';
import type { SbiMode } from '@unum/node-agent';
import { MachineError } from '../machine-error.js';

export interface BootSpec {
  /** The kernel: an ELF64 RISC-V executable (by p_paddr) or a RISC-V Linux Image. */
  kernel: Uint8Array;
  /** -initrd: placed high in RAM, advertised in /chosen. */
  initrd?: Uint8Array;
  /** -dtb: used instead of the generated tree (its /chosen patched). */
  dtb?: Uint8Array;
  /**
   * Default `bare` (`unum run X.elf`): every hart at the ELF's entry in
   * M-mode. `sbi` (`--kernel F`, `--bios none`): the built-in SBI, the
   * kernel in S-mode on hart 0. `image` (`--bios default|FILE`): M-mode
   * firmware at the start of RAM, entered from the reset ROM.
   */
  firmware?: BootFirmware;
  /** /chosen/bootargs. */
  bootargs: string;
  /**
   * Who answers S-mode ecalls. 'firmware' (default): the guest's own M-mode
   * code; every hart starts at the entry. 'builtin': the node agents (the
   * built-in SBI, docs/sbi.md); only hart 0 starts, in M-mode at the entry,
   * and the others wait for an SBI HSM hart_start (`unum run --sbi builtin`).
   * A `firmware: sbi` boot always uses the built-in SBI.
   */
  sbi?: SbiMode;
}

/** How the harts start, from the layout: what VmSetup.builtin_sbi and Start say. */
export interface BootStart {
  pc: number;
  a1: number;
  builtinSbi: boolean;
  /** -1: every hart starts at pc. */
  bootHart: number;
  supervisor: boolean;
}

export function bootStartOf(boot: BootSpec, layout: BootLayout): BootStart {
  const builtinSbi = layout.mode === 'sbi' || boot.sbi === 'builtin';
  return { pc: layout.pc, a1: layout.fdtAddr, builtinSbi, bootHart: builtinSbi ? 0 : -1, supervisor: layout.mode === 'sbi' };
}

/**
 * The boot laid out in RAM of `memBytes` with the device tree `tree` makes
 * (default: the single-node virt tree, the same size as any other for the
 * same harts); bad files become MachineError('bad-config'), a layout that
 * does not fit MachineError('ram-too-small').
 */
export function bootLayoutOf(boot: BootSpec, vm: { vcpus: number; memBytes: number }, tree?: (chosen: ChosenPatch) => FdtNode): BootLayout {
  const ram = { base: RAM_BASE, size: vm.memBytes };
  const firmware = boot.firmware ?? { kind: 'bare' };
  if (boot.sbi === 'builtin' && firmware.kind === 'image') throw new MachineError('bad-config', '--sbi builtin and --bios exclude each other: the firmware answers S-mode ecalls');
  const generated = tree ?? ((chosen: ChosenPatch) => buildVirtFdt({ harts: vm.vcpus, ram, bootargs: chosen.bootargs ?? '', initrd: chosen.initrd, rngSeed: new Uint8Array(64) }));
  try {
    return layoutBoot({ kernel: boot.kernel, initrd: boot.initrd, dtb: boot.dtb, firmware, bootargs: boot.bootargs }, ram, generated);
  } catch (e) {
    if (e instanceof ElfError) throw e; // a bare-metal ELF's own words (exit 2 already)
    if (e instanceof LoadError) throw new MachineError(e.code === 'ram-too-small' ? 'ram-too-small' : 'bad-config', e.message);
    throw e;
  }
}
