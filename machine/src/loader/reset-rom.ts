/**
 * QEMU virt's reset vector (hw/riscv/boot.c, riscv_setup_rom_reset_vec),
 * used when a firmware runs in M-mode (`--bios default|FILE`): every hart
 * starts here and leaves with a0 = mhartid, a1 = the FDT and a2 = the
 * address of a `struct fw_dynamic_info` (OpenSBI include/sbi/fw_dynamic.h)
 * telling fw_dynamic where the kernel is and to enter it in S-mode;
 * fw_jump ignores a2. QEMU keeps it in a ROM at 0x1000; unum has no ROM
 * region a hart can fetch from, so the same bytes go into a RAM page the
 * boot layout reserves (nothing reads it once the firmware has started).
 *
 * @example
 *   const rom = resetRom({ firmware: 0x8000_0000, fdt: fdtAddr, nextAddr: 0x8020_0000 });
 *   load(romAddr, rom);  // start every hart at romAddr in M-mode
 */
export const FW_DYNAMIC_MAGIC = 0x4942534f; // "OSBI"
export const FW_DYNAMIC_VERSION = 2;
/** next_mode: 1 = S-mode. */
export const NEXT_MODE_S = 1;
/** Bytes of code + data. */
export const RESET_ROM_SIZE = 40 + 6 * 8;

export interface ResetRomConfig {
  /** Where the firmware starts (t0 jumps there). */
  firmware: number;
  fdt: number;
  /** fw_dynamic_info.next_addr: the kernel's entry. */
  nextAddr: number;
  /** -1: any hart may boot (OpenSBI's lottery). */
  bootHart?: number;
}

/** The reset code (position independent: it finds its data with auipc) followed by fw_dynamic_info. */
export function resetRom(c: ResetRomConfig): Uint8Array {
  const out = new Uint8Array(RESET_ROM_SIZE);
  const v = new DataView(out.buffer);
  const code = [
    0x0000_0297, // 1: auipc t0, 0
    0x0282_8613, //    addi  a2, t0, 40       &fw_dynamic_info
    0xf140_2573, //    csrr  a0, mhartid
    0x0202_b583, //    ld    a1, 32(t0)       the FDT
    0x0182_b283, //    ld    t0, 24(t0)       the firmware
    0x0002_8067, //    jr    t0
  ];
  code.forEach((w, i) => v.setUint32(i * 4, w, true));
  v.setBigUint64(24, BigInt(c.firmware), true);
  v.setBigUint64(32, BigInt(c.fdt), true);
  const info = [BigInt(FW_DYNAMIC_MAGIC), BigInt(FW_DYNAMIC_VERSION), BigInt(c.nextAddr), BigInt(NEXT_MODE_S), 0n,
    BigInt.asUintN(64, BigInt(c.bootHart ?? -1))];
  info.forEach((x, i) => v.setBigUint64(40 + i * 8, x, true));
  return out;
}
