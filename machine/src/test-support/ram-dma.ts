/** A GuestDma over a plain byte array standing for guest RAM at `base` (unit tests of devices). */
import { checkRam, type GuestDma } from '../devices/virtio/guest-dma.js';

export class RamDma implements GuestDma {
  readonly bytes: Uint8Array;
  reads = 0;
  writes = 0;

  constructor(readonly base: number, size: number) {
    this.bytes = new Uint8Array(size);
  }

  async read(gpa: number, length: number): Promise<Uint8Array> {
    checkRam({ base: this.base, size: this.bytes.length }, gpa, length);
    this.reads++;
    return this.bytes.slice(gpa - this.base, gpa - this.base + length);
  }

  async write(gpa: number, data: Uint8Array): Promise<void> {
    checkRam({ base: this.base, size: this.bytes.length }, gpa, data.length);
    this.writes++;
    this.bytes.set(data, gpa - this.base);
  }
}
