/**
 * The node agent's window onto devices it does not host (all of them but
 * the CLINT). In one process it is the coordinator's DeviceBus; in a
 * cluster, a stub to the coordinator. Sizes are 1, 2, 4 or 8 bytes.
 * An access that hits no device rejects with `NoDevice`: the hart then takes
 * a load/store access fault, as on QEMU virt.
 */
export interface MmioBus {
  read(gpa: number, size: number): Promise<bigint>;
  write(gpa: number, size: number, value: bigint): Promise<void>;
}

/** A guest-physical address range [base, base + size). */
export interface MmioWindow { base: number; size: number }

export class NoDevice extends Error {
  override readonly name = 'NoDevice';
  constructor(readonly gpa: number) {
    super(`no device at 0x${gpa.toString(16)}`);
  }
}
