/**
 * A ConsoleHub in front of the process's own console (stdio): UART output
 * goes to the inner port and to dashboard watchers (the hub's bounded
 * backlog lets a browser opened late see the start); input comes from both.
 *
 * @example
 *   const tee = new ConsoleTee(new StdioConsole(process.stdin, process.stdout));
 *   vm = await coordinator.createVm({ ..., console: tee });
 *   tee.watch((bytes) => ws.send(bytes));
 */
import { ConsoleHub } from '../cluster/console-hub.js';
import type { ConsolePort } from '@unum/machine';

export class ConsoleTee extends ConsoleHub {
  constructor(private readonly inner: ConsolePort) {
    super();
  }

  override write(bytes: Uint8Array): void {
    this.inner.write(bytes);
    super.write(bytes);
  }

  override onInput(receive: (bytes: Uint8Array) => void): void {
    super.onInput(receive);
    this.inner.onInput(receive);
  }
}
