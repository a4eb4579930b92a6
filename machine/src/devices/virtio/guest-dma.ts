/**
 * GuestDma: how a device model reads and writes guest-physical memory. A
 * device never touches RAM directly: on a cluster node the port faults
 * each DSM unit in with a vCPU's coherence (read or write access) before it
 * copies, so descriptor rings and buffers may live on any node.
 *
 * @example
 *   const hdr = await dma.read(desc.addr, 16);        // may fetch the page from another node
 *   await dma.write(status.addr, Uint8Array.of(0));   // invalidates other copies first
 */
export interface GuestDma {
  /** `length` bytes at guest-physical `gpa`; rejects with DmaError outside guest RAM. */
  read(gpa: number, length: number): Promise<Uint8Array>;
  /** Store `bytes` at guest-physical `gpa`; rejects with DmaError outside guest RAM. */
  write(gpa: number, bytes: Uint8Array): Promise<void>;
  /**
   * Optional hint: the device will write [gpa, gpa + length) soon, so take
   * the write right now (one fault instead of a read fault and an upgrade
   * when it first reads the same page). Copies nothing.
   */
  claim?(gpa: number, length: number): Promise<void>;
}

/** A guest asked a device to reach memory that is not guest RAM (a guest error, never a host crash). */
export class DmaError extends Error {
  override readonly name = 'DmaError';
  constructor(readonly gpa: number, readonly length: number) {
    super(`DMA to [0x${gpa.toString(16)}, +0x${length.toString(16)}) is outside guest RAM`);
  }
}

/** Throws DmaError unless [gpa, gpa + length) lies inside the RAM window. */
export function checkRam(ram: { base: number; size: number }, gpa: number, length: number): void {
  if (!Number.isSafeInteger(gpa) || length < 0 || gpa < ram.base || gpa + length > ram.base + ram.size) {
    throw new DmaError(gpa, length);
  }
}
