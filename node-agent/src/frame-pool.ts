/**
 * FramePool: the node's EPT. Owns the frames region of the node's shared
 * memory (free list + bump pointer, under an Atomics lock in node control so
 * vCPU workers and the main thread can all allocate) and the GPA page table
 * the engine reads. Capacity = number of frames; eviction/swap will plug in
 * at `alloc()` running dry (see `FrameExhausted`).
 *
 * @example
 *   const pool = FramePool.create(memory.buffer as SharedArrayBuffer, { ramBytes: 64 << 20, frames: 16384 });
 *   pool.mapLazy(0x8000_0000, 64 << 20);      // all RAM owned here, zero on touch
 *   pool.write(0x8000_0000, elfBytes);        // host copies go through the table
 *   await pool.setRights(gpa, 'r', revoke);   // handshake: no hart keeps W
 */
import { PAGE_SIZE, RAM_BASE } from '@unum/machine';
import { ALLOC, NODE_CTRL, FRAMES, GPA_TABLE } from './node-layout.js';
import { PTE_LAZY, frameOf, isRevocation, makeEntry, rightsOf, type PteRights } from './page-entry.js';

export class FrameExhausted extends Error {
  override readonly name = 'FrameExhausted';
}

export class NotLocal extends Error {
  override readonly name = 'NotLocal';
  constructor(readonly gpa: number) {
    super(`guest page 0x${gpa.toString(16)} is not held by this node`);
  }
}

/** Revocation handshake: resolves once no hart can still use the old right. */
export type Revoke = () => Promise<void>;

export interface FramePoolConfig {
  ramBytes: number;
  frames: number;
}

const W_LOCK = (NODE_CTRL + ALLOC.lock) >> 2;
const W_BUMP = (NODE_CTRL + ALLOC.bump) >> 2;
const W_FREE = (NODE_CTRL + ALLOC.freeHead) >> 2;
const W_USED = (NODE_CTRL + ALLOC.used) >> 2;
const W_CAP = (NODE_CTRL + ALLOC.capacity) >> 2;

export class FramePool {
  private readonly i32: Int32Array;
  private readonly u8: Uint8Array;
  readonly pages: number;

  private constructor(readonly buffer: SharedArrayBuffer, readonly ramBytes: number) {
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.pages = ramBytes / PAGE_SIZE;
  }

  /** Main thread: initialise allocator and page table (all pages unmapped). */
  static create(buffer: SharedArrayBuffer, cfg: FramePoolConfig): FramePool {
    const pool = new FramePool(buffer, cfg.ramBytes);
    if (FRAMES + cfg.frames * PAGE_SIZE > buffer.byteLength) throw new RangeError('memory too small for frames');
    Atomics.store(pool.i32, W_LOCK, 0);
    Atomics.store(pool.i32, W_BUMP, 0);
    Atomics.store(pool.i32, W_FREE, 0);
    Atomics.store(pool.i32, W_USED, 0);
    Atomics.store(pool.i32, W_CAP, cfg.frames);
    pool.i32.fill(0, GPA_TABLE >> 2, (GPA_TABLE >> 2) + pool.pages);
    return pool;
  }

  /** Worker: view of a pool another thread created. */
  static attach(buffer: SharedArrayBuffer, ramBytes: number): FramePool {
    return new FramePool(buffer, ramBytes);
  }

  get capacity(): number {
    return Atomics.load(this.i32, W_CAP);
  }

  get used(): number {
    return Atomics.load(this.i32, W_USED);
  }

  /** Frames not in use. */
  get freeFrames(): number {
    return this.capacity - this.used;
  }

  private lock(): void {
    while (Atomics.compareExchange(this.i32, W_LOCK, 0, 1) !== 0) Atomics.wait(this.i32, W_LOCK, 1, 1);
  }

  private unlock(): void {
    Atomics.store(this.i32, W_LOCK, 0);
    Atomics.notify(this.i32, W_LOCK, 1);
  }

  /** A zeroed frame, or FrameExhausted when the node is full. */
  alloc(): number {
    let frame = -1;
    let recycled = false;
    this.lock();
    try {
      const head = this.i32[W_FREE]!;
      if (head !== 0) {
        frame = head - 1; // free frames link through their first word
        this.i32[W_FREE] = this.i32[(FRAMES + frame * PAGE_SIZE) >> 2]!;
        recycled = true;
      } else if (this.i32[W_BUMP]! < this.i32[W_CAP]!) {
        frame = this.i32[W_BUMP]!;
        this.i32[W_BUMP] = frame + 1;
      }
      if (frame >= 0) this.i32[W_USED] = this.i32[W_USED]! + 1;
    } finally {
      this.unlock();
    }
    if (frame < 0) throw new FrameExhausted(`node memory full (${this.capacity} frames)`);
    if (recycled) this.frameBytes(frame).fill(0); // bump frames are still zero from creation
    return frame;
  }

  free(frame: number): void {
    this.lock();
    try {
      this.i32[(FRAMES + frame * PAGE_SIZE) >> 2] = this.i32[W_FREE]!;
      this.i32[W_FREE] = frame + 1;
      this.i32[W_USED] = this.i32[W_USED]! - 1;
    } finally {
      this.unlock();
    }
  }

  frameBytes(frame: number): Uint8Array {
    return this.u8.subarray(FRAMES + frame * PAGE_SIZE, FRAMES + (frame + 1) * PAGE_SIZE);
  }

  private index(gpa: number): number {
    const page = Math.floor((gpa - RAM_BASE) / PAGE_SIZE);
    if (page < 0 || page >= this.pages) throw new RangeError(`0x${gpa.toString(16)} is not guest RAM`);
    return (GPA_TABLE >> 2) + page;
  }

  entry(gpa: number): number {
    return Atomics.load(this.i32, this.index(gpa));
  }

  /** Mark [gpa, gpa+bytes) as owned here with no frame yet. */
  mapLazy(gpa: number, bytes: number): void {
    for (let a = gpa; a < gpa + bytes; a += PAGE_SIZE) Atomics.store(this.i32, this.index(a), PTE_LAZY);
  }

  /**
   * Give a LAZY page its zeroed frame with `rights`. Safe against racing
   * harts: the loser of the compare-exchange returns its frame.
   * Returns false if the page was not LAZY (someone else resolved it).
   */
  materialize(gpa: number, rights: PteRights = 'rw'): boolean {
    const idx = this.index(gpa);
    if (Atomics.load(this.i32, idx) !== PTE_LAZY) return false;
    const frame = this.alloc();
    if (Atomics.compareExchange(this.i32, idx, PTE_LAZY, makeEntry(frame, rights)) !== PTE_LAZY) {
      this.free(frame);
      return false;
    }
    return true;
  }

  /** Install a frame for a page (e.g. one the DSM just fetched). */
  map(gpa: number, frame: number, rights: PteRights): void {
    Atomics.store(this.i32, this.index(gpa), makeEntry(frame, rights));
  }

  /**
   * Take a page's frame away (entry 0: not held here) and return it, or -1.
   * The caller runs the revocation handshake first if the page had rights,
   * and frees the frame once it has what it needs from it.
   */
  unmap(gpa: number): number {
    const prev = Atomics.exchange(this.i32, this.index(gpa), 0);
    return prev === PTE_LAZY ? -1 : frameOf(prev);
  }

  /**
   * Change a mapped page's rights. Weakening runs `revoke` (bump epoch, wait
   * for every hart's ack) after storing the weaker entry, so when this
   * resolves no hart holds the old right and its stores are in the frame.
   */
  async setRights(gpa: number, rights: PteRights, revoke: Revoke): Promise<void> {
    const idx = this.index(gpa);
    const prev = Atomics.load(this.i32, idx);
    const frame = frameOf(prev);
    if (frame < 0) throw new NotLocal(gpa);
    const next = makeEntry(frame, rights);
    Atomics.store(this.i32, idx, next);
    if (isRevocation(prev, next)) await revoke();
  }

  rights(gpa: number): PteRights {
    return rightsOf(this.entry(gpa));
  }

  /** Host read of guest RAM; LAZY pages read as zero. */
  read(gpa: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.eachPage(gpa, length, (entry, pageOff, bufOff, n, a) => {
      const frame = frameOf(entry);
      if (frame >= 0) out.set(this.frameBytes(frame).subarray(pageOff, pageOff + n), bufOff);
      else if (entry !== PTE_LAZY) throw new NotLocal(a);
    });
    return out;
  }

  /** Host write of guest RAM; LAZY pages get their frame first. */
  write(gpa: number, bytes: Uint8Array): void {
    this.eachPage(gpa, bytes.length, (entry, pageOff, bufOff, n, a) => {
      if (entry === PTE_LAZY) this.materialize(a);
      const frame = frameOf(this.entry(a));
      if (frame < 0) throw new NotLocal(a);
      this.frameBytes(frame).set(bytes.subarray(bufOff, bufOff + n), pageOff);
    });
  }

  private eachPage(gpa: number, length: number,
    fn: (entry: number, pageOff: number, bufOff: number, n: number, pageGpa: number) => void): void {
    let bufOff = 0;
    while (bufOff < length) {
      const a = gpa + bufOff;
      const pageOff = (a - RAM_BASE) % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - pageOff, length - bufOff);
      fn(this.entry(a), pageOff, bufOff, n, a - pageOff);
      bufOff += n;
    }
  }
}

