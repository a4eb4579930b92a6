/**
 * VmMonitor: samples one VM every SAMPLE_MS while it runs (one snapshot at a
 * time: a slow node delays the next sample, it never piles them up), keeps
 * the last HISTORY_S seconds of per-node rates for the charts, the current
 * page map, and tells listeners (browser sessions, /metrics) about each tick.
 *
 * @example
 *   const mon = new VmMonitor(telemetry, logger);
 *   const off = mon.onTick((frame, codes) => send(frame));
 */
import type { Logger } from 'pino';
import { liveFrame, mapCodes, type LiveFrame } from './live-frame.js';
import type { VmSnapshot, VmTelemetry } from '../telemetry/vm-telemetry.js';

export const SAMPLE_MS = 500;
const HISTORY_S = 300;
/** Map cells: at most this many (fewer for small guests: then a cell is one unit). */
export const MAP_CELLS = 4096;

/** One point of the charts: per node [readFaults, writeFaults, invalidations, bytes] per second. */
export interface HistoryPoint { t: number; nodes: number[][] }

export type TickListener = (frame: LiveFrame, codes: Uint8Array, snap: VmSnapshot, prev: VmSnapshot | undefined) => void;

export class VmMonitor {
  readonly history: HistoryPoint[] = [];
  frame: LiveFrame | undefined;
  codes: Uint8Array | undefined;
  private prev: VmSnapshot | undefined;
  private readonly listeners = new Set<TickListener>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly t0 = performance.now();
  readonly cells: number;

  constructor(readonly vm: VmTelemetry, private readonly logger: Logger) {
    this.cells = Math.min(MAP_CELLS, vm.info().units);
    void vm.ended.then(() => {
      // one last sample shows the final state; then stop
      clearTimeout(this.timer);
      this.stopped = true;
      void this.tick();
    });
    this.schedule(0);
  }

  get id(): string {
    return this.vm.info().id;
  }

  onTick(l: TickListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    const started = performance.now();
    try {
      const snap = await this.vm.snapshot(this.cells);
      const { codes, rates } = mapCodes(snap, this.prev, this.codes);
      const frame = liveFrame(snap, this.prev, this.t0, codes, rates);
      if (this.prev) {
        this.history.push({ t: frame.t, nodes: frame.nodes.map((n) => [n.rates.readFaults, n.rates.writeFaults, n.rates.invalidations, n.rates.bytes]) });
        while (this.history.length > 0 && frame.t - this.history[0]!.t > HISTORY_S) this.history.shift();
      }
      const prev = this.prev;
      this.prev = snap;
      this.frame = frame;
      this.codes = codes;
      for (const l of this.listeners) l(frame, codes, snap, prev);
    } catch (e) {
      this.logger.warn({ err: e, vm: this.id }, 'dashboard sample failed');
    }
    this.schedule(Math.max(0, SAMPLE_MS - (performance.now() - started)));
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.listeners.clear();
  }
}
