/** A protocol-lab result row for tests: a successful pingpong run on 2 nodes, with `over` and counters `c` on top. */
import { variantLabel } from '../protocols/lab-config.js';
import { sumCounters, type LabCounters, type LabRow } from '../protocols/lab-row.js';

const zero = sumCounters([]);

export function labRow(over: Partial<LabRow> & { c?: Partial<LabCounters> }): LabRow {
  const totals = { ...zero, ...over.c };
  return {
    workload: 'pingpong', args: 'rounds=20', protocol: 'ivy-central', knobs: {}, variant: variantLabel(over.protocol ?? 'ivy-central', over.knobs ?? {}), unit: '4K', unitBytes: 4096, nodes: 2, vcpus: 2, linkLatency: '0',
    pagePlacement: 'node0', repeat: 0, seed: 1, id: 'x', ok: true, exitCode: 0, processMs: 1, guestMs: 10, wallMs: 20, totals, perNode: [totals],
    ...over,
  };
}

/**
 * Five rows the summary tests share: pingpong under ivy-central, ivy-dynamic
 * and ivy-dynamic+mirage (Δ held 3), lock under ivy-central and ivy-fixed.
 */
export function summaryRows(): LabRow[] {
  const row = labRow;
  return [
    row({ c: { faults: 50, messages: 100 }, guestMs: 30 }),
    row({ protocol: 'ivy-dynamic', c: { faults: 100, writeFaults: 100, messages: 200 }, guestMs: 20 }),
    row({ protocol: 'ivy-dynamic+mirage', c: { faults: 25, writeFaults: 25, messages: 50, holds: 3 }, guestMs: 10 }),
    row({ workload: 'lock', c: { faults: 10, messages: 30 }, guestMs: 5 }),
    row({ workload: 'lock', protocol: 'ivy-fixed', c: { faults: 10, messages: 30 }, guestMs: 9 }),
  ];
}
