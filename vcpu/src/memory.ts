/**
 * Node memory: creation, GPA page-table entry encoding, and a tiny host-side
 * GPA accessor for tests and loaders. The real frame allocator (FramePool)
 * lives in node-agent and builds on encodeEntry/decodeEntry/frameAddress.
 */
import {
  FRAMES, GPA_TABLE, NODE_CTRL, NC_RAM_SIZE, NC_FRAME_COUNT, NC_FLAGS, NC_HART_COUNT, NCF_SBI,
  PTE_R, PTE_W, PTE_LAZY, PTE_FRAME_SHIFT, RAM_BASE, MAX_HARTS, DC_STRIDE,
} from './layout.js';

const WASM_PAGE = 65536;
const PAGE = 4096;
/** Guest RAM the GPA table can describe (4 Mi entries of 4 KiB). */
export const MAX_RAM_BYTES = (FRAMES - GPA_TABLE) / 4 * PAGE;
/** wasm32 tops out at 4 GiB, which caps one node's frames (room is kept for
 *  the per-hart decode caches that follow the frames). */
export const MAX_FRAMES = (2 ** 32 - FRAMES - WASM_PAGE - MAX_HARTS * DC_STRIDE) / PAGE;

/** Where the decode caches start: after the frames, 64 KiB aligned (the engine computes the same). */
export function decodeCacheBase(frames: number): number {
  return Math.ceil((FRAMES + frames * PAGE) / WASM_PAGE) * WASM_PAGE;
}

export interface NodeMemoryOptions {
  /** Guest RAM size in bytes (multiple of 4 KiB), starting at GPA 0x8000_0000. */
  ramBytes: number;
  /** Frames this node may hold (its memory cap); default: enough for all of RAM. */
  frames?: number;
  harts?: number;
  /** S-mode ecall becomes an `sbi` exit instead of a trap. */
  sbi?: boolean;
}

export function createNodeMemory(opts: NodeMemoryOptions): WebAssembly.Memory {
  const { ramBytes } = opts;
  if (!Number.isInteger(ramBytes) || ramBytes <= 0 || ramBytes % PAGE !== 0 || ramBytes > MAX_RAM_BYTES) {
    throw new RangeError(`ramBytes must be a positive multiple of 4096 up to ${MAX_RAM_BYTES}`);
  }
  const frames = opts.frames ?? ramBytes / PAGE;
  if (!Number.isInteger(frames) || frames < 0 || frames > MAX_FRAMES) {
    throw new RangeError(`frames must be an integer in 0..${MAX_FRAMES}`);
  }
  const harts = opts.harts ?? 1;
  if (!Number.isInteger(harts) || harts < 1 || harts > MAX_HARTS) throw new RangeError(`harts must be 1..${MAX_HARTS}`);
  const pages = (decodeCacheBase(frames) + harts * DC_STRIDE) / WASM_PAGE;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const dv = new DataView(memory.buffer);
  dv.setBigUint64(NODE_CTRL + NC_RAM_SIZE, BigInt(ramBytes), true);
  dv.setUint32(NODE_CTRL + NC_FRAME_COUNT, frames, true);
  dv.setUint32(NODE_CTRL + NC_HART_COUNT, harts, true);
  dv.setUint32(NODE_CTRL + NC_FLAGS, opts.sbi ? NCF_SBI : 0, true);
  return memory;
}

export interface PageEntry {
  read: boolean;
  write: boolean;
  lazy: boolean;
  /** Frame index, or -1 for no frame. */
  frame: number;
}

/** Encode a GPA page-table entry (W implies R). */
export function encodeEntry(e: PageEntry): number {
  const r = e.read || e.write ? PTE_R : 0;
  return (r | (e.write ? PTE_W : 0) | (e.lazy ? PTE_LAZY : 0) | (((e.frame + 1) << PTE_FRAME_SHIFT) >>> 0)) >>> 0;
}

export function decodeEntry(v: number): PageEntry {
  return {
    read: (v & PTE_R) !== 0,
    write: (v & PTE_W) !== 0,
    lazy: (v & PTE_LAZY) !== 0,
    frame: (v >>> PTE_FRAME_SHIFT) - 1,
  };
}

/** Byte offset of frame k in node memory. */
export function frameAddress(k: number): number {
  return FRAMES + k * PAGE;
}

/** Byte offset of the GPA page-table entry for a RAM address. */
export function entryAddress(gpa: number): number {
  if (gpa < RAM_BASE) throw new RangeError(`gpa 0x${gpa.toString(16)} is below RAM`);
  return GPA_TABLE + Math.floor((gpa - RAM_BASE) / PAGE) * 4;
}

export function ramBytesOf(memory: WebAssembly.Memory): number {
  return Number(new DataView(memory.buffer).getBigUint64(NODE_CTRL + NC_RAM_SIZE, true));
}

/** Atomic read/write of one entry (the engine reads entries with atomic loads). */
export function getEntry(memory: WebAssembly.Memory, gpa: number): number {
  return Atomics.load(new Int32Array(memory.buffer), entryAddress(gpa) >> 2) >>> 0;
}
export function setEntry(memory: WebAssembly.Memory, gpa: number, entry: number): void {
  Atomics.store(new Int32Array(memory.buffer), entryAddress(gpa) >> 2, entry | 0);
}

/**
 * Test/loader helper: give every RAM page the identity frame (page k -> frame k)
 * with the given rights. Needs frames >= RAM pages.
 */
export function mapAllRam(memory: WebAssembly.Memory, rights: { write: boolean } = { write: true }): void {
  const pages = ramBytesOf(memory) / PAGE;
  const table = new Int32Array(memory.buffer, GPA_TABLE, pages);
  for (let k = 0; k < pages; k++) table[k] = encodeEntry({ read: true, write: rights.write, lazy: false, frame: k });
}

/** Host address of a GPA whose page has a frame, or throws. */
function hostAddress(memory: WebAssembly.Memory, gpa: number): number {
  const e = decodeEntry(getEntry(memory, gpa));
  if (e.frame < 0) throw new RangeError(`gpa 0x${gpa.toString(16)} has no frame`);
  return frameAddress(e.frame) + (gpa % PAGE);
}

/** Copy bytes into guest RAM (pages must have frames). */
export function writeGpa(memory: WebAssembly.Memory, gpa: number, bytes: Uint8Array): void {
  const mem = new Uint8Array(memory.buffer);
  let done = 0;
  while (done < bytes.length) {
    const at = gpa + done;
    const n = Math.min(PAGE - (at % PAGE), bytes.length - done);
    mem.set(bytes.subarray(done, done + n), hostAddress(memory, at));
    done += n;
  }
}

/** Copy bytes out of guest RAM (pages must have frames). */
export function readGpa(memory: WebAssembly.Memory, gpa: number, length: number): Uint8Array {
  const mem = new Uint8Array(memory.buffer);
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const at = gpa + done;
    const n = Math.min(PAGE - (at % PAGE), length - done);
    const h = hostAddress(memory, at);
    out.set(mem.subarray(h, h + n), done);
    done += n;
  }
  return out;
}
