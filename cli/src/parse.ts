/** Argument parsers shared by subcommands; each throws UsageError with one line. */
import { UsageError } from './usage-error.js';

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/**
 * A memory size: a number with an optional binary unit, as QEMU's -m takes
 * ("128M", "1G", "512KiB", "4096"). Must be a whole number of 4 KiB pages.
 */
export function parseSize(text: string, what = 'size'): number {
  const m = /^(\d+)\s*([KMGT]?)(i?B)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`bad ${what} '${text}': use a number with an optional K, M, G or T suffix (e.g. 128M)`);
  const bytes = Number(m[1]) * UNITS[m[2]!.toUpperCase()]!;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new UsageError(`bad ${what} '${text}': must be positive`);
  if (bytes % 4096 !== 0) throw new UsageError(`bad ${what} '${text}': must be a multiple of 4 KiB`);
  return bytes;
}

export function parseIntIn(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`bad ${what} '${text}': not a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`bad ${what} '${text}': must be ${min}..${max}`);
  return n;
}

/** A duration in ms: "2000", "2000ms", "2s", "1.5s"; whole ms, min..max. */
export function parseDurationMs(text: string, what: string, min: number, max: number): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`bad ${what} '${text}': use milliseconds or seconds, e.g. 2000 or 2s`);
  const ms = Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 's' ? 1000 : 1));
  if (ms < min || ms > max) throw new UsageError(`bad ${what} '${text}': must be ${min}..${max} ms`);
  return ms;
}
