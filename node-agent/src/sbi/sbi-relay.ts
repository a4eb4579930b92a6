/**
 * SbiRelay: how a vCPU worker hands the part of an SBI call it cannot do
 * itself (harts on other nodes, console, reset) to its node's main thread.
 * The worker writes the request into its own slot of a SharedArrayBuffer,
 * then makes a `Req.Sbi` HartMailbox call (which blocks it until the main
 * thread has served the slot and replied with the result word). Slot: 8
 * i64 words (op, arguments, result; the low half of the last one is the
 * `held` word) and DATA_BYTES of console data.
 *
 * A console write needs no answer, so the worker posts it and runs on; its
 * slot stays held until the main thread has read it, and the hart's next
 * relay waits for that (`awaitFree`) before it writes the slot again.
 */
import type { RemoteFence, RemoteFenceKind } from './sbi-host.js';

export enum RelayOp { Ipi = 1, Fence = 2, HartStart = 3, HartStatus = 4, Reset = 5, ConsoleWrite = 6, ConsoleRead = 7 }

export const DATA_BYTES = 4096;
const HEADER_BYTES = 64;
const SLOT_BYTES = HEADER_BYTES + DATA_BYTES;
const HARTS = 64;
/** i32 index in the slot of the `held` word: 1 while a posted request is unread. */
const HELD_I32 = 14;
const FENCE_KINDS: RemoteFenceKind[] = ['fence.i', 'sfence.vma', 'sfence.vma.asid'];

/** A decoded relay request (main-thread side). */
export type RelayRequest =
  | { op: RelayOp.Ipi; harts: bigint }
  | { op: RelayOp.Fence; harts: bigint; fence: RemoteFence }
  | { op: RelayOp.HartStart; hart: number; addr: bigint; opaque: bigint }
  | { op: RelayOp.HartStatus; hart: number }
  | { op: RelayOp.Reset; type: number; reason: number }
  | { op: RelayOp.ConsoleWrite; bytes: Uint8Array }
  | { op: RelayOp.ConsoleRead; max: number };

export class SbiRelay {
  private readonly i64: BigInt64Array;
  private readonly i32: Int32Array;
  private readonly u8: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.i64 = new BigInt64Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
  }

  private held(hart: number): number {
    return (hart * SLOT_BYTES) / 4 + HELD_I32;
  }

  static create(): SbiRelay {
    return new SbiRelay(new SharedArrayBuffer(HARTS * SLOT_BYTES));
  }

  private word(hart: number, i: number): number {
    return (hart * SLOT_BYTES) / 8 + i;
  }

  private data(hart: number): Uint8Array {
    const at = hart * SLOT_BYTES + HEADER_BYTES;
    return this.u8.subarray(at, at + DATA_BYTES);
  }

  // ---- worker side: fill the slot (then make the mailbox call) ----

  write(hart: number, req: RelayRequest): void {
    const w = (i: number, v: bigint | number): void => { this.i64[this.word(hart, i)] = BigInt.asIntN(64, BigInt(v)); };
    w(0, req.op);
    switch (req.op) {
      case RelayOp.Ipi: w(1, req.harts); break;
      case RelayOp.Fence:
        w(1, req.harts); w(2, FENCE_KINDS.indexOf(req.fence.kind)); w(3, req.fence.start); w(4, req.fence.size); w(5, req.fence.asid);
        break;
      case RelayOp.HartStart: w(1, req.hart); w(2, req.addr); w(3, req.opaque); break;
      case RelayOp.HartStatus: w(1, req.hart); break;
      case RelayOp.Reset: w(1, req.type); w(2, req.reason); break;
      case RelayOp.ConsoleWrite:
        if (req.bytes.length > DATA_BYTES) throw new RangeError(`console write of ${req.bytes.length} bytes > ${DATA_BYTES}`);
        w(1, req.bytes.length); this.data(hart).set(req.bytes);
        break;
      case RelayOp.ConsoleRead: w(1, Math.min(req.max, DATA_BYTES)); break;
    }
  }

  /** Bytes the main thread left for a ConsoleRead (`n` = the call's result). */
  readData(hart: number, n: number): Uint8Array {
    return this.data(hart).slice(0, n);
  }

  /** Block until the main thread has read the request this hart posted last. */
  awaitFree(hart: number): void {
    while (Atomics.load(this.i32, this.held(hart)) !== 0) Atomics.wait(this.i32, this.held(hart), 1, 100);
  }

  /** The slot holds a posted request: no relay may write it before the main thread has read it. */
  hold(hart: number): void {
    Atomics.store(this.i32, this.held(hart), 1);
  }

  // ---- main-thread side ----

  /** Decode the hart's request and free its slot for the hart's next one. */
  read(hart: number): RelayRequest {
    const req = this.decode(hart);
    Atomics.store(this.i32, this.held(hart), 0);
    Atomics.notify(this.i32, this.held(hart));
    return req;
  }

  private decode(hart: number): RelayRequest {
    const r = (i: number): bigint => this.i64[this.word(hart, i)]!;
    const u = (i: number): bigint => BigInt.asUintN(64, r(i));
    const op = Number(r(0)) as RelayOp;
    switch (op) {
      case RelayOp.Ipi: return { op, harts: u(1) };
      case RelayOp.Fence:
        return { op, harts: u(1), fence: { kind: FENCE_KINDS[Number(r(2))] ?? 'sfence.vma', start: u(3), size: u(4), asid: u(5) } };
      case RelayOp.HartStart: return { op, hart: Number(r(1)), addr: u(2), opaque: u(3) };
      case RelayOp.HartStatus: return { op, hart: Number(r(1)) };
      case RelayOp.Reset: return { op, type: Number(r(1)), reason: Number(r(2)) };
      case RelayOp.ConsoleWrite: return { op, bytes: this.data(hart).slice(0, Number(r(1))) };
      case RelayOp.ConsoleRead: return { op, max: Number(r(1)) };
      default: throw new Error(`SBI relay: unknown op ${op} from hart ${hart}`);
    }
  }

  /** ConsoleRead: leave the input bytes for the worker. */
  putData(hart: number, bytes: Uint8Array): number {
    const n = Math.min(bytes.length, DATA_BYTES);
    this.data(hart).set(bytes.subarray(0, n));
    return n;
  }
}
