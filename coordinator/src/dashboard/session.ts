/**
 * One browser on one VM over a WebSocket. Sends: `hello` (VM, chart
 * history), a `frame` per sample, the page map as `map` messages holding only
 * the cells that changed since what this browser last got, and console
 * output batched every CONSOLE_MS. Receives: console `input`, `control`
 * (pause/resume/stop) and `inspect` (hover). A browser that does not keep
 * up (bufferedAmount over HIGH_WATER) skips samples; the next map it gets is
 * still exact, because changes are computed against what it has.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { cellDetail } from './cell-inspect.js';
import type { LiveFrame } from './live-frame.js';
import type { VmMonitor } from './vm-monitor.js';
import type { VmControl } from '../telemetry/vm-telemetry.js';

const HIGH_WATER = 512 * 1024;
const CONSOLE_MS = 50;
const CONSOLE_PENDING_MAX = 256 * 1024;
const CONTROLS: readonly VmControl[] = ['pause', 'resume', 'stop'];

export class Session {
  private sent: Uint8Array | undefined;
  private consoleText = '';
  private consoleTimer: NodeJS.Timeout | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly off: Array<() => void> = [];

  constructor(private readonly ws: WebSocket, private readonly mon: VmMonitor, private readonly logger: Logger) {
    this.send({ type: 'hello', info: mon.vm.info(), history: mon.history, cells: mon.cells, console: !!mon.vm.console });
    if (mon.frame && mon.codes) this.tick(mon.frame, mon.codes);
    this.off.push(mon.onTick((frame, codes) => this.tick(frame, codes)));
    const tap = mon.vm.console;
    if (tap) this.off.push(tap.watch((bytes) => this.consoleOut(bytes)));
    ws.on('message', (data, isBinary) => { if (!isBinary) void this.receive(String(data)); });
    ws.on('close', () => this.close());
    ws.on('error', () => this.close());
  }

  private send(m: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(m));
  }

  private tick(frame: LiveFrame, codes: Uint8Array): void {
    if (this.ws.bufferedAmount > HIGH_WATER) return;
    const point = this.mon.history.at(-1);
    this.send({ type: 'frame', frame, point });
    const full = !this.sent || this.sent.length !== codes.length;
    const changes: number[] = [];
    for (let c = 0; c < codes.length; c++) if (full || codes[c] !== this.sent![c]) changes.push(c, codes[c]!);
    if (full || changes.length) this.send({ type: 'map', full, cells: codes.length, unitsPerCell: frame.unitsPerCell, changes });
    this.sent = Uint8Array.from(codes);
  }

  private consoleOut(bytes: Uint8Array): void {
    this.consoleText += this.decoder.write(Buffer.from(bytes));
    if (this.consoleText.length > CONSOLE_PENDING_MAX) this.consoleText = `[…]${this.consoleText.slice(-CONSOLE_PENDING_MAX / 2)}`;
    this.consoleTimer ??= setTimeout(() => this.flushConsole(), CONSOLE_MS);
  }

  private flushConsole(): void {
    this.consoleTimer = undefined;
    if (!this.consoleText) return;
    if (this.ws.bufferedAmount > HIGH_WATER) { this.consoleTimer = setTimeout(() => this.flushConsole(), CONSOLE_MS); return; }
    this.send({ type: 'console', data: this.consoleText });
    this.consoleText = '';
  }

  private async receive(text: string): Promise<void> {
    let m: { type?: unknown; data?: unknown; op?: unknown; cell?: unknown };
    try { m = JSON.parse(text) as typeof m; } catch { return this.send({ type: 'error', message: 'not JSON' }); }
    if (m.type === 'input' && typeof m.data === 'string' && m.data.length <= 4096) {
      this.mon.vm.console?.input(new TextEncoder().encode(m.data));
    } else if (m.type === 'control' && CONTROLS.includes(m.op as VmControl)) {
      const op = m.op as VmControl;
      this.logger.info({ vm: this.mon.id, op }, 'dashboard control');
      try {
        await this.mon.vm.control(op);
        this.send({ type: 'control', op, ok: true });
      } catch (e) {
        this.send({ type: 'control', op, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    } else if (m.type === 'inspect' && Number.isSafeInteger(m.cell) && (m.cell as number) >= 0 && (m.cell as number) < this.mon.cells) {
      const cell = m.cell as number;
      const snap = await this.mon.vm.snapshot(this.mon.cells, cell);
      this.send({ type: 'inspect', ...cellDetail(snap, cell) });
    } else {
      this.send({ type: 'error', message: 'unknown message' });
    }
  }

  close(): void {
    for (const off of this.off.splice(0)) off();
    clearTimeout(this.consoleTimer);
  }
}
