/**
 * A node's swap file: fixed-size slots (one DSM unit each), a free list, and
 * real file I/O through async fs calls (libuv's thread pool, never a vCPU
 * thread). Opened with O_DIRECT so the page cache cannot hide the disk; a
 * filesystem that refuses it (EINVAL, e.g. tmpfs) gets a buffered file and
 * `direct === false` with the reason, which the agent logs and reports.
 *
 * O_DIRECT wants block-aligned buffers. JS cannot align an ArrayBuffer, but a
 * WebAssembly.Memory is mmap'ed, so its base is page aligned: the staging
 * buffers are 4 KiB-aligned slices of one.
 *
 * The file is unlinked right after it is opened: the descriptor keeps it
 * alive, and nothing is left behind however the process ends (SIGKILL too).
 * `path` says where it was.
 *
 * @example
 *   const swap = await SwapFile.open('/var/tmp/unum-swap-1/node0.swap', { slotBytes: 4096 });
 *   const slot = await swap.write(bytes);  // a fresh slot
 *   await swap.read(slot, into);           // back
 *   swap.free(slot);
 *   await swap.close();                    // (the file was unlinked at open)
 */
import { constants } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';

const ALIGN = 4096;
const WASM_PAGE = 65536;
/** I/Os in flight at once (each holds one staging buffer). */
const STAGING = 8;

export interface SwapFileOptions {
  slotBytes: number;
  /** Try O_DIRECT (default true). */
  direct?: boolean;
  /** Largest number of slots (default: unbounded). */
  maxSlots?: number;
  /** How the file is opened (default fs/promises open; tests stand in a filesystem that refuses O_DIRECT). */
  opener?: (path: string, flags: number, mode: number) => Promise<FileHandle>;
}

export interface SwapFileStats {
  direct: boolean;
  slotsUsed: number;
  slotsHigh: number;
  reads: number;
  writes: number;
  bytesRead: number;
  bytesWritten: number;
}

export class SwapFull extends Error {
  override readonly name = 'SwapFull';
}

export class SwapFile {
  private readonly freeSlots: number[] = [];
  private next = 0;
  private used = 0;
  private readonly staging: Uint8Array[] = [];
  private readonly waiting: ((b: Uint8Array) => void)[] = [];
  readonly stats: SwapFileStats;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly direct: boolean,
    /** Why O_DIRECT is off (undefined when on). */
    readonly fallbackReason: string | undefined,
    private readonly o: Required<SwapFileOptions>,
  ) {
    const bytes = Math.ceil((STAGING * o.slotBytes) / WASM_PAGE) * WASM_PAGE;
    const mem = new WebAssembly.Memory({ initial: bytes / WASM_PAGE, maximum: bytes / WASM_PAGE });
    for (let i = 0; i < STAGING; i++) this.staging.push(new Uint8Array(mem.buffer, i * o.slotBytes, o.slotBytes));
    this.stats = { direct, slotsUsed: 0, slotsHigh: 0, reads: 0, writes: 0, bytesRead: 0, bytesWritten: 0 };
  }

  static async open(path: string, opts: SwapFileOptions): Promise<SwapFile> {
    const o: Required<SwapFileOptions> = { direct: true, maxSlots: Number.MAX_SAFE_INTEGER, opener: open, ...opts };
    if (o.slotBytes <= 0 || o.slotBytes % ALIGN !== 0) throw new RangeError(`swap slot ${o.slotBytes} is not a multiple of 4 KiB`);
    const flags = constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC;
    const unlinked = (fh: FileHandle): Promise<FileHandle> => unlinkOpened(path, fh);
    if (o.direct && constants.O_DIRECT !== undefined) {
      try {
        return new SwapFile(path, await unlinked(await o.opener(path, flags | constants.O_DIRECT, 0o600)), true, undefined, o);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
        return new SwapFile(path, await unlinked(await o.opener(path, flags, 0o600)), false, 'the filesystem refused O_DIRECT (EINVAL)', o);
      }
    }
    const why = o.direct ? 'O_DIRECT is not available on this platform' : 'O_DIRECT not requested';
    return new SwapFile(path, await unlinked(await o.opener(path, flags, 0o600)), false, why, o);
  }

  get slotBytes(): number {
    return this.o.slotBytes;
  }

  get slotsUsed(): number {
    return this.used;
  }

  /** Store `data` (slotBytes) in a fresh slot; returns the slot. */
  async write(data: Uint8Array): Promise<number> {
    if (data.length !== this.o.slotBytes) throw new RangeError(`swap write of ${data.length} bytes, slot is ${this.o.slotBytes}`);
    const slot = this.allocSlot();
    try {
      await this.writeSlot(slot, data);
    } catch (e) {
      this.free(slot);
      throw e;
    }
    return slot;
  }

  /** Overwrite an allocated slot. */
  writeSlot(slot: number, data: Uint8Array): Promise<void> {
    if (data.length !== this.o.slotBytes) throw new RangeError(`swap write of ${data.length} bytes, slot is ${this.o.slotBytes}`);
    return this.writeWith(slot, (buf) => buf.set(data));
  }

  /** Overwrite an allocated slot with what `fill` puts in the (aligned) staging buffer: no copy of our own. */
  async writeWith(slot: number, fill: (buf: Uint8Array) => void): Promise<void> {
    const buf = await this.takeStaging();
    try {
      fill(buf);
      const { bytesWritten } = await this.fh.write(buf, 0, buf.length, slot * this.o.slotBytes);
      if (bytesWritten !== buf.length) throw new Error(`short swap write at slot ${slot}: ${bytesWritten} bytes`);
    } finally {
      this.giveStaging(buf);
    }
    this.stats.writes++;
    this.stats.bytesWritten += this.o.slotBytes;
  }

  /** Read a slot into `into` (slotBytes). */
  async read(slot: number, into: Uint8Array = new Uint8Array(this.o.slotBytes)): Promise<Uint8Array> {
    await this.readWith(slot, (buf) => into.set(buf));
    return into;
  }

  /** Read a slot and hand the (aligned) staging buffer to `use`, which must copy what it keeps. */
  async readWith(slot: number, use: (buf: Uint8Array) => void): Promise<void> {
    if (slot < 0 || slot >= this.next) throw new RangeError(`swap slot ${slot} was never written`);
    const buf = await this.takeStaging();
    try {
      const { bytesRead } = await this.fh.read(buf, 0, buf.length, slot * this.o.slotBytes);
      if (bytesRead !== buf.length) throw new Error(`short swap read at slot ${slot}: ${bytesRead} bytes`);
      use(buf);
    } finally {
      this.giveStaging(buf);
    }
    this.stats.reads++;
    this.stats.bytesRead += this.o.slotBytes;
  }

  free(slot: number): void {
    this.freeSlots.push(slot);
    this.used--;
    this.stats.slotsUsed = this.used;
  }

  /** Close the file (already unlinked: its blocks go with the descriptor). */
  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }

  /** A free slot (reused first), counted as used until `free`. */
  allocSlot(): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      if (this.next >= this.o.maxSlots) throw new SwapFull(`swap file full (${this.o.maxSlots} slots of ${this.o.slotBytes} bytes)`);
      slot = this.next++;
    }
    this.used++;
    this.stats.slotsUsed = this.used;
    this.stats.slotsHigh = Math.max(this.stats.slotsHigh, this.used);
    return slot;
  }

  private takeStaging(): Promise<Uint8Array> {
    const b = this.staging.pop();
    return b ? Promise.resolve(b) : new Promise((r) => this.waiting.push(r));
  }

  private giveStaging(b: Uint8Array): void {
    const w = this.waiting.shift();
    if (w) w(b);
    else this.staging.push(b);
  }
}

/** Unlink a file just opened (the descriptor keeps it); if that fails, close it and fail. */
async function unlinkOpened(path: string, fh: FileHandle): Promise<FileHandle> {
  try {
    await unlink(path);
    return fh;
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}
