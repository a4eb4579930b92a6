/**
 * HartMailbox: how a vCPU worker asks its node's main thread for what it
 * cannot do itself (MMIO to a device elsewhere, a page the node does not
 * hold), and how the main thread steers the worker (pause/stop) and reads
 * its state. One SharedArrayBuffer per node, one 16-word slot per hart.
 *
 * A request is synchronous for the hart: the worker fills the slot, flips
 * `state` to REQUEST and Atomics.wait()s; the main thread, parked in
 * Atomics.waitAsync on the same word, serves it and flips it to REPLY.
 * No structured cloning, no message queue; round trip measured in
 * docs/machine.md.
 */
export enum Req { MmioRead = 1, MmioWrite = 2, Page = 3 }
export enum Slot { Idle = 0, Request = 1, Reply = 2 }
export enum Control { Run = 0, Pause = 1, Stop = 2 }
export enum HartRunState { Starting = 0, Running = 1, Wfi = 2, Stalled = 3, Paused = 4, Halted = 5 }
export const HART_RUN_STATES = ['starting', 'running', 'wfi', 'stalled', 'paused', 'halted'] as const;
export type HartRunStateName = (typeof HART_RUN_STATES)[number];

const WORDS = 16;
const STATE = 0;
const KIND = 1;
const GPA_LO = 2;
const GPA_HI = 3;
const SIZE = 4;
const VAL_LO = 5;
const VAL_HI = 6;
const ACCESS = 7;
const REPLY_LO = 8;
const REPLY_HI = 9;
const CONTROL = 10;
const RUN_STATE = 11;
/** 1 when the request failed in a way the guest sees (no device: access fault). */
const REPLY_FAULT = 12;

/** A reply: a value, or 'fault' for an access the guest must see fail. */
export type HartReply = bigint | 'fault';

export interface HartRequest {
  kind: Req;
  gpa: number;
  size: number;
  value: bigint;
  access: number;
}

type WaitAsync = (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string };
/** Atomics.waitAsync (Node 16+; not in the ES2022 lib typings). */
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const split = (x: bigint): [number, number] => [Number(x & 0xffff_ffffn) | 0, Number((x >> 32n) & 0xffff_ffffn) | 0];
const join = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

export class HartMailbox {
  readonly words: Int32Array;
  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  static create(harts: number): HartMailbox {
    return new HartMailbox(new SharedArrayBuffer(harts * WORDS * 4));
  }

  private at(hart: number, word: number): number {
    return hart * WORDS + word;
  }

  // ---- worker side ------------------------------------------------------

  /** Post a request and block this thread until the main thread replies. */
  call(hart: number, req: HartRequest): HartReply {
    const w = this.words;
    w[this.at(hart, KIND)] = req.kind;
    w[this.at(hart, GPA_LO)] = req.gpa | 0;
    w[this.at(hart, GPA_HI)] = Math.floor(req.gpa / 2 ** 32);
    w[this.at(hart, SIZE)] = req.size;
    [w[this.at(hart, VAL_LO)], w[this.at(hart, VAL_HI)]] = split(req.value);
    w[this.at(hart, ACCESS)] = req.access;
    const state = this.at(hart, STATE);
    Atomics.store(w, state, Slot.Request);
    Atomics.notify(w, state);
    while (Atomics.load(w, state) === Slot.Request) Atomics.wait(w, state, Slot.Request);
    const reply = join(w[this.at(hart, REPLY_LO)]!, w[this.at(hart, REPLY_HI)]!);
    const fault = w[this.at(hart, REPLY_FAULT)] === 1;
    Atomics.store(w, state, Slot.Idle);
    return fault ? 'fault' : reply;
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

  /** Serve this hart's requests until `stopped()` says so. */
  async serve(hart: number, handle: (req: HartRequest) => Promise<HartReply>, stopped: () => boolean): Promise<void> {
    const w = this.words;
    const state = this.at(hart, STATE);
    while (!stopped()) {
      const s = Atomics.load(w, state);
      if (s !== Slot.Request) {
        const waited = waitAsync(w, state, s, 200);
        if (waited.async) await waited.value;
        continue;
      }
      const req: HartRequest = {
        kind: w[this.at(hart, KIND)]!,
        gpa: (w[this.at(hart, GPA_LO)]! >>> 0) + (w[this.at(hart, GPA_HI)]! >>> 0) * 2 ** 32,
        size: w[this.at(hart, SIZE)]!,
        value: join(w[this.at(hart, VAL_LO)]!, w[this.at(hart, VAL_HI)]!),
        access: w[this.at(hart, ACCESS)]!,
      };
      let reply: HartReply = 0n;
      try {
        reply = await handle(req);
      } finally {
        w[this.at(hart, REPLY_FAULT)] = reply === 'fault' ? 1 : 0;
        [w[this.at(hart, REPLY_LO)], w[this.at(hart, REPLY_HI)]] = split(reply === 'fault' ? 0n : reply);
        Atomics.store(w, state, Slot.Reply);
        Atomics.notify(w, state);
      }
    }
  }

  setControl(hart: number, c: Control): void {
    Atomics.store(this.words, this.at(hart, CONTROL), c);
    Atomics.notify(this.words, this.at(hart, CONTROL));
  }

  runState(hart: number): HartRunStateName {
    return HART_RUN_STATES[Atomics.load(this.words, this.at(hart, RUN_STATE))] ?? 'starting';
  }
}
