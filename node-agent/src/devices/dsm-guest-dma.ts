/**
 * The device node's GuestDma: device models reach guest RAM through this
 * node's FramePool with a vCPU's coherence. Each page is copied only while
 * this node holds the right the copy needs (read for a device read, write
 * for a device write); otherwise the unit is faulted in through the DSM
 * first, exactly as a hart's page fault would (the owner sends the data, a
 * write invalidates every other copy). The check and the copy run in one
 * synchronous step of the main thread, where the DSM also takes rights
 * away, so no revocation can fall between them.
 *
 * It counts what I/O costs the DSM (IoStats): the faults DMA took and the
 * DSM messages and bytes this node sent and received while they resolved.
 */
import { checkRam, PAGE_SIZE, RAM_BASE, type GuestDma } from '@unum/machine';
import type { IoStats } from '@unum/protos/stats';
import type { FramePool } from '../frame-pool.js';
import { holds, PTE_LAZY } from '../page-entry.js';

export type DmaAccess = 'read' | 'write';

/** DSM traffic on this node so far (all message types). */
export interface DsmTraffic {
  messages: number;
  bytes: number;
}

/** The wire's IoStats but `requests` (the DMA side; DeviceHost counts the requests). */
export type DmaCounters = Omit<IoStats, 'requests' | 'net'>;

export class DsmGuestDma implements GuestDma {
  readonly counts: DmaCounters = {
    dmaReads: 0, dmaWrites: 0, dmaReadBytes: 0, dmaWriteBytes: 0, readFaults: 0, writeFaults: 0, dsmMessages: 0, dsmBytes: 0,
  };
  private readonly ram: { base: number; size: number };

  constructor(
    private readonly pool: FramePool,
    ramBytes: number,
    /** Fault the unit holding `gpa` in with `access` (the node's DSM path, eviction included). */
    private readonly fault: (gpa: number, access: DmaAccess) => Promise<void>,
    /** This node's DSM traffic counters, read around each fault. */
    private readonly traffic: () => DsmTraffic,
  ) {
    this.ram = { base: RAM_BASE, size: ramBytes };
  }

  async read(gpa: number, length: number): Promise<Uint8Array> {
    checkRam(this.ram, gpa, length);
    const out = new Uint8Array(length);
    await this.eachPage(gpa, length, 'read', (page, off, n, at) => out.set(this.pool.read(page + off, n), at));
    this.counts.dmaReads++;
    this.counts.dmaReadBytes += length;
    return out;
  }

  async write(gpa: number, bytes: Uint8Array): Promise<void> {
    checkRam(this.ram, gpa, bytes.length);
    await this.eachPage(gpa, bytes.length, 'write', (page, off, n, at) => this.pool.write(page + off, bytes.subarray(at, at + n)));
    this.counts.dmaWrites++;
    this.counts.dmaWriteBytes += bytes.length;
  }

  async claim(gpa: number, length: number): Promise<void> {
    checkRam(this.ram, gpa, length);
    await this.eachPage(gpa, length, 'write', () => {});
  }

  /** For each page of the range: make sure this node holds `access`, then `copy` at once. */
  private async eachPage(gpa: number, length: number, access: DmaAccess,
    copy: (page: number, off: number, n: number, at: number) => void): Promise<void> {
    let at = 0;
    while (at < length) {
      const a = gpa + at;
      const off = (a - RAM_BASE) % PAGE_SIZE;
      const page = a - off;
      const n = Math.min(PAGE_SIZE - off, length - at);
      while (!this.held(page, access)) await this.faultIn(page, access);
      copy(page, off, n, at);
      at += n;
    }
  }

  /** Owned here without a frame yet (LAZY) counts as held: FramePool gives it a zeroed frame on the write. */
  private held(page: number, access: DmaAccess): boolean {
    const e = this.pool.entry(page);
    return e === PTE_LAZY || holds(e, access);
  }

  private async faultIn(page: number, access: DmaAccess): Promise<void> {
    const before = this.traffic();
    await this.fault(page, access);
    const after = this.traffic();
    if (access === 'read') this.counts.readFaults++;
    else this.counts.writeFaults++;
    this.counts.dsmMessages += after.messages - before.messages;
    this.counts.dsmBytes += after.bytes - before.bytes;
  }
}
