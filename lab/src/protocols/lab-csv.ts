/** results.csv: one line per run, totals and per-node counters (per-node values joined with ';'). */
import { toCsv, type CsvValue } from '../csv.js';
import { knobSpecs } from '@unum/dsm';
import type { LabCounters, LabRow } from './lab-row.js';

const CONFIG = ['id', 'workload', 'args', 'protocol', 'unit', 'unitBytes', 'nodes', 'vcpus', 'linkLatency', 'pagePlacement', 'repeat', 'seed', 'variant'] as const;
/** Knob columns: the value set for the run, empty when the variant's default was used. */
const KNOBS = knobSpecs().map(({ spec }) => spec.name);
const RUN = ['ok', 'error', 'exitCode', 'checksum', 'guestTicks', 'guestMs', 'wallMs', 'processMs'] as const;
const COUNTERS: (keyof LabCounters)[] = [
  'readFaults', 'writeFaults', 'faults', 'invalidations', 'messages', 'bytes', 'messagesPerFault', 'forwards', 'hops', 'staleRetries',
  'holds', 'prefetchesSent', 'updatesSent', 'pushesInstalled', 'pushesDropped', 'recalls', 'homeMigrations', 'latencyP50Us', 'latencyP99Us',
];
const PER_NODE: (keyof LabCounters)[] = ['readFaults', 'writeFaults', 'invalidations', 'messages', 'bytes', 'latencyP50Us', 'latencyP99Us'];

export const CSV_COLUMNS = [...CONFIG, ...KNOBS, ...RUN, ...COUNTERS, ...PER_NODE.map((k) => `node_${k}`)];

export function labCsv(rows: readonly LabRow[]): string {
  return toCsv(CSV_COLUMNS, rows.map((r) => {
    const o: Record<string, CsvValue> = {};
    for (const k of [...CONFIG, ...RUN]) o[k] = r[k] as CsvValue;
    for (const k of KNOBS) o[k] = r.knobs[k];
    for (const k of COUNTERS) o[k] = r.totals?.[k];
    for (const k of PER_NODE) o[`node_${k}`] = r.perNode?.map((n) => n[k]).join(';');
    return o;
  }));
}
