/**
 * The console of a VM created through the gRPC API: UART output is kept
 * (bounded) and fanned out to every WatchVm stream, so a client that
 * subscribes just after CreateVm misses nothing; ConsoleInput feeds the UART.
 */
import type { ConsolePort } from '@unum/machine';

const BACKLOG_BYTES = 1 << 20;

export class ConsoleHub implements ConsolePort {
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private readonly watchers = new Set<(bytes: Uint8Array) => void>();
  private receive: (bytes: Uint8Array) => void = () => {};

  write(bytes: Uint8Array): void {
    const copy = Uint8Array.from(bytes);
    this.backlog.push(copy);
    this.backlogBytes += copy.length;
    while (this.backlogBytes > BACKLOG_BYTES && this.backlog.length > 1) this.backlogBytes -= this.backlog.shift()!.length;
    for (const w of this.watchers) w(copy);
  }

  onInput(receive: (bytes: Uint8Array) => void): void {
    this.receive = receive;
  }

  input(bytes: Uint8Array): void {
    this.receive(bytes);
  }

  /** Replays what was written so far, then streams; returns the unsubscribe function. */
  watch(w: (bytes: Uint8Array) => void): () => void {
    for (const b of this.backlog) w(b);
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }
}
