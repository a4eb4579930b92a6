/**
 * RequestQueue: one FIFO per node, many producers (the vCPU workers), one
 * consumer (the main thread), in a SharedArrayBuffer. One queue rather than
 * one per hart so that requests are served in the order harts issued them:
 * if hart A posts a UART write and then releases a lock that hart B takes
 * before writing, A's byte comes out first, as on hardware.
 */
const LOCK = 0;
const TAIL = 1; // requests produced (wraps as int32)
const HEAD = 2; // requests consumed
const ENTRIES = 4;
export const ENTRY_WORDS = 8;
const CAP = 256; // a power of two: index = counter & (CAP - 1)
export const QUEUE_WORDS = ENTRIES + CAP * ENTRY_WORDS;

type WaitAsync = (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string };
/** Atomics.waitAsync (Node 16+; not in the ES2022 lib typings). */
export const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export class RequestQueue {
  /** `words` is a view whose first QUEUE_WORDS words hold the queue. */
  constructor(private readonly words: Int32Array) {}

  /** Producer: copy `entry` (ENTRY_WORDS words) in; blocks while the queue is full. */
  push(entry: ArrayLike<number>): void {
    const w = this.words;
    for (;;) {
      while (Atomics.compareExchange(w, LOCK, 0, 1) !== 0) Atomics.wait(w, LOCK, 1, 1);
      const tail = w[TAIL]!;
      const head = Atomics.load(w, HEAD);
      if (((tail - head) | 0) < CAP) {
        const at = ENTRIES + (tail & (CAP - 1)) * ENTRY_WORDS;
        for (let i = 0; i < ENTRY_WORDS; i++) w[at + i] = entry[i]!;
        Atomics.store(w, TAIL, (tail + 1) | 0);
        Atomics.store(w, LOCK, 0);
        Atomics.notify(w, LOCK, 1);
        Atomics.notify(w, TAIL);
        return;
      }
      Atomics.store(w, LOCK, 0);
      Atomics.notify(w, LOCK, 1);
      Atomics.wait(w, HEAD, head, 5); // full: wait for the consumer
    }
  }

  /** Requests pushed so far (an int32 that wraps). */
  produced(): number {
    return Atomics.load(this.words, TAIL);
  }

  /** Consumer: the next entry copied into `out`, or false if none arrived within `timeoutMs`. */
  async pop(out: Int32Array, timeoutMs: number): Promise<boolean> {
    const w = this.words;
    const head = Atomics.load(w, HEAD);
    const tail = Atomics.load(w, TAIL);
    if (head === tail) {
      const waited = waitAsync(w, TAIL, tail, timeoutMs);
      if (waited.async) await waited.value;
      if (Atomics.load(w, TAIL) === head) return false;
    }
    const at = ENTRIES + (head & (CAP - 1)) * ENTRY_WORDS;
    for (let i = 0; i < ENTRY_WORDS; i++) out[i] = w[at + i]!;
    Atomics.store(w, HEAD, (head + 1) | 0);
    Atomics.notify(w, HEAD);
    return true;
  }
}
