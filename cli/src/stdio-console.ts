/**
 * The guest console on the process's stdio: UART bytes to stdout (batched, at
 * most 4 ms late), stdin bytes to the UART. stdin is read raw; a pipe
 * or file works, and its EOF only means no more input (the VM keeps going).
 */
import type { ConsolePort } from '@unum/coordinator';

const CTRL_A = 0x01;
/** Guest output is written in batches: one syscall per byte would cost more than the MMIO exit. */
const FLUSH_MS = 4;
const FLUSH_BYTES = 16 * 1024;

export class StdioConsole implements ConsolePort {
  private pending: Buffer[] = [];
  private scheduled = false;
  private pendingBytes = 0;
  private wasRaw = false;
  private readonly onData: (chunk: Buffer) => void;
  private receive: (bytes: Uint8Array) => void = () => {};

  private escape = false;
  private outputClosed = false;

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
    /** The user quit (Ctrl-A x) or stdout went away (EPIPE): stop the VM. */
    private readonly onQuit: (reason: string) => void = () => {},
  ) {
    this.onData = (chunk) => this.receive(this.input.isTTY ? this.unescape(chunk) : chunk);
    output.on('error', () => {
      if (this.outputClosed) return;
      this.outputClosed = true; // e.g. `unum run x.elf | head -1`: no stack trace, just stop
      this.onQuit('stdout closed');
    });
  }

  /** Strip the Ctrl-A escapes a terminal user types. */
  private unescape(chunk: Buffer): Uint8Array {
    const out: number[] = [];
    for (const b of chunk) {
      if (this.escape) {
        this.escape = false;
        if (b === 0x78 /* x */) this.onQuit('quit (Ctrl-A x)');
        else if (b === CTRL_A) out.push(CTRL_A);
      } else if (b === CTRL_A) this.escape = true;
      else out.push(b);
    }
    return Uint8Array.from(out);
  }

  onInput(receive: (bytes: Uint8Array) => void): void {
    this.receive = receive;
    if (this.input.isTTY) {
      this.wasRaw = this.input.isRaw;
      this.input.setRawMode(true);
    }
    this.input.on('data', this.onData);
    this.input.on('error', () => {}); // a closed or bad stdin just means no input
  }

  write(bytes: Uint8Array): void {
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) void this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => void this.flush(), FLUSH_MS);
    }
  }

  flush(): Promise<void> {
    this.scheduled = false;
    this.pendingBytes = 0;
    if (this.pending.length === 0 || this.outputClosed) {
      this.pending = [];
      return Promise.resolve();
    }
    const data = Buffer.concat(this.pending);
    this.pending = [];
    return new Promise((resolve) => this.output.write(data, () => resolve()));
  }

  close(): void {
    this.input.off('data', this.onData);
    if (this.input.isTTY) this.input.setRawMode(this.wasRaw);
    this.input.pause();
  }
}
