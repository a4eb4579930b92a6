/**
 * What a VM boots: today a bare-metal ELF, as `qemu-system-riscv64 -M virt
 * -bios none -kernel X.elf -append "..."` boots it (every hart at the entry
 * in M-mode, a0 = hartid, a1 = the device tree).
 */
import type { SbiMode } from '@unum/node-agent';

export interface BootSpec {
  /** The kernel image's bytes (an ELF64 RISC-V executable). */
  kernel: Uint8Array;
  /** /chosen/bootargs. */
  bootargs: string;
  /**
   * Who answers S-mode ecalls. 'firmware' (default): the guest's own M-mode
   * code; every hart starts at the entry. 'builtin': the node agents (the
   * built-in SBI, docs/sbi.md); only hart 0 starts, in M-mode at the entry,
   * and the others wait for an SBI HSM hart_start (`unum run --sbi builtin`).
   */
  sbi?: SbiMode;
}
