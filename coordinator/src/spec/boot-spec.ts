/**
 * What a VM boots: today a bare-metal ELF, as `qemu-system-riscv64 -M virt
 * -bios none -kernel X.elf -append "..."` boots it (every hart at the entry
 * in M-mode, a0 = hartid, a1 = the device tree).
 */
export interface BootSpec {
  /** The kernel image's bytes (an ELF64 RISC-V executable). */
  kernel: Uint8Array;
  /** /chosen/bootargs. */
  bootargs: string;
}
