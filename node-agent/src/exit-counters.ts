/**
 * Per-hart exit counters, by how each exit was served (locally in the
 * worker, or forwarded to the main thread). Each hart's worker is the only
 * writer of its row, so plain stores suffice; readers see recent values.
 */
export const EXIT_COUNTERS = ['mmioLocal', 'mmioForwarded', 'pageLocal', 'pageForwarded', 'wfi', 'yield', 'sbi'] as const;
export type ExitCounter = (typeof EXIT_COUNTERS)[number];
export type ExitCounts = Record<ExitCounter, number>;

const INDEX = Object.fromEntries(EXIT_COUNTERS.map((n, i) => [n, i])) as Record<ExitCounter, number>;

export class ExitCounters {
  private readonly f64: Float64Array;
  constructor(readonly buffer: SharedArrayBuffer) {
    this.f64 = new Float64Array(buffer);
  }

  static create(harts: number): ExitCounters {
    return new ExitCounters(new SharedArrayBuffer(harts * EXIT_COUNTERS.length * 8));
  }

  bump(hart: number, what: ExitCounter): void {
    this.f64[hart * EXIT_COUNTERS.length + INDEX[what]]! += 1;
  }

  of(hart: number): ExitCounts {
    const row = hart * EXIT_COUNTERS.length;
    return Object.fromEntries(EXIT_COUNTERS.map((n, i) => [n, this.f64[row + i]!])) as ExitCounts;
  }
}
