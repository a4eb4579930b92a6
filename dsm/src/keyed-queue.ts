/**
 * Runs tasks one at a time per key, in submission order. A DSM node handles
 * every event for a unit (message, local fault) this way, so its handling of
 * a unit is atomic even though it awaits the local revocation handshake.
 * Tasks must never wait for a remote message (that would deadlock the unit).
 */
export class KeyedQueue {
  private readonly tails = new Map<number, Promise<unknown>>();

  /** Keys with a task queued or running (0: nothing to do right now). */
  get busy(): number {
    return this.tails.size;
  }

  run<T>(key: number, task: () => T | Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
