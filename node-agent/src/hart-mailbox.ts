/**
 * HartMailbox: how a vCPU worker asks its node's main thread for what it
 * cannot do itself (MMIO to a device elsewhere, a page the node does not
 * hold), and how the main thread steers the worker (pause/stop) and reads
 * its state. One SharedArrayBuffer per node: a RequestQueue shared by all
 * harts (so requests are served in the order harts made them) and one
 * 8-word slot per hart for its reply, control and run state.
 *
 * `call` is synchronous for the hart: it queues the request and
 * Atomics.wait()s on its slot until the main thread, parked in
 * Atomics.waitAsync on the queue, has served it. `post` queues a write and
 * returns at once (device writes that cannot fail); a later `call` from the
 * same hart is served after it. Costs measured in docs/machine.md.
 */
import { ENTRY_WORDS, QUEUE_WORDS, RequestQueue } from './request-queue.js';

export enum Req { MmioRead = 1, MmioWrite = 2, Page = 3, /** the built-in SBI's relay (sbi/sbi-relay.ts) */ Sbi = 4 }
export enum Slot { Idle = 0, Request = 1, Reply = 2 }
export enum Control { Run = 0, Pause = 1, Stop = 2 }
export enum HartRunState { Starting = 0, Running = 1, Wfi = 2, Stalled = 3, Paused = 4, Halted = 5 }
export const HART_RUN_STATES = ['starting', 'running', 'wfi', 'stalled', 'paused', 'halted'] as const;
export type HartRunStateName = (typeof HART_RUN_STATES)[number];

// per-hart slot
const SLOT_WORDS = 8;
const STATE = 0;
const REPLY_LO = 1;
const REPLY_HI = 2;
/** 1 when the request failed in a way the guest sees (no device: access fault). */
const REPLY_FAULT = 3;
const CONTROL = 4;
const RUN_STATE = 5;
// queue entry
const E_HART = 0;
const E_KIND = 1;
const E_GPA_LO = 2;
const E_GPA_HI = 3;
const E_SIZE = 4;
const E_VAL_LO = 5;
const E_VAL_HI = 6;
const E_ACCESS = 7; // access code | POSTED
const POSTED = 0x100;

/** A reply: a value, or 'fault' for an access the guest must see fail. */
export type HartReply = bigint | 'fault';

export interface HartRequest {
  kind: Req;
  gpa: number;
  size: number;
  value: bigint;
  access: number;
  /** Queued without waiting for the reply (post). */
  posted?: boolean;
}

const split = (x: bigint): [number, number] => [Number(x & 0xffff_ffffn) | 0, Number((x >> 32n) & 0xffff_ffffn) | 0];
const join = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

export class HartMailbox {
  readonly words: Int32Array;
  private readonly queue: RequestQueue;
  /** Main thread: requests handed to the handler so far (wraps like the queue's count). */
  private begun = 0;
  private readonly entry = new Int32Array(ENTRY_WORDS);

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.queue = new RequestQueue(this.words);
  }

  static create(harts: number): HartMailbox {
    return new HartMailbox(new SharedArrayBuffer((QUEUE_WORDS + harts * SLOT_WORDS) * 4));
  }

  private at(hart: number, word: number): number {
    return QUEUE_WORDS + hart * SLOT_WORDS + word;
  }

  // ---- worker side ------------------------------------------------------

  private push(hart: number, req: HartRequest, posted: boolean): void {
    const e = this.entry;
    e[E_HART] = hart;
    e[E_KIND] = req.kind;
    e[E_GPA_LO] = req.gpa | 0;
    e[E_GPA_HI] = Math.floor(req.gpa / 2 ** 32);
    e[E_SIZE] = req.size;
    [e[E_VAL_LO], e[E_VAL_HI]] = split(req.value);
    e[E_ACCESS] = req.access | (posted ? POSTED : 0);
    this.queue.push(e);
  }

  /** Queue a request and block this thread until the main thread replies. */
  call(hart: number, req: HartRequest): HartReply {
    const w = this.words;
    const state = this.at(hart, STATE);
    Atomics.store(w, state, Slot.Request);
    this.push(hart, req, false);
    while (Atomics.load(w, state) === Slot.Request) Atomics.wait(w, state, Slot.Request);
    const reply = join(w[this.at(hart, REPLY_LO)]!, w[this.at(hart, REPLY_HI)]!);
    const fault = w[this.at(hart, REPLY_FAULT)] === 1;
    Atomics.store(w, state, Slot.Idle);
    return fault ? 'fault' : reply;
  }

  /** Queue a write and go on; the hart's next call is served after it. */
  post(hart: number, req: HartRequest): void {
    this.push(hart, req, true);
  }

  control(hart: number): Control {
    return Atomics.load(this.words, this.at(hart, CONTROL));
  }

  /** Block until the control word is no longer `current` (or timeout). */
  waitControl(hart: number, current: Control, timeoutMs: number): void {
    Atomics.wait(this.words, this.at(hart, CONTROL), current, timeoutMs);
  }

  publish(hart: number, state: HartRunState): void {
    Atomics.store(this.words, this.at(hart, RUN_STATE), state);
    Atomics.notify(this.words, this.at(hart, RUN_STATE));
  }

  // ---- main-thread side -------------------------------------------------

  /** Serve every hart's requests, in queue order, until `stopped()` says so. */
  async serve(handle: (hart: number, req: HartRequest) => Promise<HartReply>, stopped: () => boolean): Promise<void> {
    const e = new Int32Array(ENTRY_WORDS);
    const w = this.words;
    while (!stopped()) {
      if (!(await this.queue.pop(e, 200))) continue;
      const hart = e[E_HART]!;
      const posted = (e[E_ACCESS]! & POSTED) !== 0;
      const req: HartRequest = {
        kind: e[E_KIND]!,
        gpa: (e[E_GPA_LO]! >>> 0) + (e[E_GPA_HI]! >>> 0) * 2 ** 32,
        size: e[E_SIZE]!,
        value: join(e[E_VAL_LO]!, e[E_VAL_HI]!),
        access: e[E_ACCESS]! & 0xff,
        posted,
      };
      let reply: HartReply = 0n;
      try {
        const handled = handle(hart, req); // a posted write has left the node once this returns
        this.begun = (this.begun + 1) | 0;
        reply = await handled;
      } finally {
        if (!posted) {
          w[this.at(hart, REPLY_FAULT)] = reply === 'fault' ? 1 : 0;
          [w[this.at(hart, REPLY_LO)], w[this.at(hart, REPLY_HI)]] = split(reply === 'fault' ? 0n : reply);
          Atomics.store(w, this.at(hart, STATE), Slot.Reply);
          Atomics.notify(w, this.at(hart, STATE));
        }
      }
    }
  }

  /** Main thread: resolves once every request queued before the call has been handed to its handler. */
  async drained(): Promise<void> {
    const mark = this.queue.produced();
    while (((this.begun - mark) | 0) < 0) await new Promise((r) => setImmediate(r));
  }

  setControl(hart: number, c: Control): void {
    Atomics.store(this.words, this.at(hart, CONTROL), c);
    Atomics.notify(this.words, this.at(hart, CONTROL));
  }

  runState(hart: number): HartRunStateName {
    return HART_RUN_STATES[Atomics.load(this.words, this.at(hart, RUN_STATE))] ?? 'starting';
  }
}
