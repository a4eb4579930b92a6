/**
 * NTP-style estimate of the coordinator's monotonic clock (docs/time.md):
 * several ping/pong exchanges; the one with the smallest round trip wins,
 * assuming the coordinator read its clock halfway through. The offset is
 * `local − coordinator` in ns; the error is at most half that round trip.
 * Agents on the coordinator's host (same kernel boot id) share
 * CLOCK_MONOTONIC and use offset 0 with no error.
 */
import { readFileSync } from 'node:fs';

export interface ClockEstimate {
  offsetNs: bigint;
  /** Bound on |error| (ns): half the best round trip, 0 on one host. */
  errorNs: bigint;
  samples: number;
}

export interface PingSample {
  sentNs: bigint;
  receivedNs: bigint;
  remoteNs: bigint;
}

export function estimateOffset(samples: PingSample[]): ClockEstimate {
  if (samples.length === 0) throw new RangeError('no clock samples');
  let best = samples[0]!;
  for (const s of samples) if (s.receivedNs - s.sentNs < best.receivedNs - best.sentNs) best = s;
  const rtt = best.receivedNs - best.sentNs;
  const localMid = best.sentNs + rtt / 2n;
  return { offsetNs: localMid - best.remoteNs, errorNs: rtt / 2n, samples: samples.length };
}

/** This kernel's boot id: equal ids mean one host, hence one CLOCK_MONOTONIC. */
export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}
