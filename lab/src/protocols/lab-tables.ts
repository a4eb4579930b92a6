/**
 * The per-workload markdown tables: one row per configuration, medians over
 * repeats, runtime with its spread, and the determinism verdict.
 */
import { markdownTable } from '../markdown-table.js';
import { describeSpread } from './determinism.js';
import type { LabGroup } from './lab-groups.js';

const int = (v: number): string => (Number.isFinite(v) ? String(Math.round(v)) : '–');
const fix = (v: number, d: number): string => (Number.isFinite(v) ? v.toFixed(d) : '–');
function bytes(v: number): string {
  if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)}M`;
  if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(0)}K`;
  return String(v);
}

/** ✓ deterministic, ✗ with the ranges, – one repeat only. */
export function determinismCell(g: LabGroup): string {
  if (g.differing.length) return `✗ ${describeSpread(g.differing)}`;
  return g.repeats >= 2 ? '✓' : '–';
}

export const TABLE_HEAD = [
  'variant', 'unit', 'nodes', 'latency', 'runtime ms (median ±spread)', 'wall ms', 'read faults', 'write faults', 'invalidations',
  'messages', 'bytes', 'msgs/fault', 'forwards', 'hops', 'p50 µs', 'p99 µs', 'holds', 'same counters across repeats',
];

function rowOf(g: LabGroup): string[] {
  const c = g.counters;
  const failed = g.failed ? ` (${g.failed}/${g.runs} failed)` : '';
  const runtime = g.repeats ? `${fix(g.runtime.median, 1)} ±${fix(g.runtime.relSpread * 50, 0)}%${failed}` : `failed ${g.failed}/${g.runs}`;
  const cells = c
    ? [int(c.readFaults), int(c.writeFaults), int(c.invalidations), int(c.messages), bytes(c.bytes), fix(c.messagesPerFault, 2),
      int(c.forwards), int(c.hops), int(c.latencyP50Us), int(c.latencyP99Us), int(c.holds)]
    : Array<string>(11).fill('–');
  return [g.config.variant, g.config.unit, String(g.config.nodes), g.config.linkLatency + (g.config.pagePlacement === 'node0' ? '' : ` ${g.config.pagePlacement}`),
    runtime, g.repeats ? fix(g.wall.median, 0) : '–', ...cells, determinismCell(g)];
}

/** `## workload` + args + the table, for every workload in `groups`. */
export function workloadTables(groups: readonly LabGroup[]): string {
  const workloads = [...new Set(groups.map((g) => g.workload))];
  return workloads.map((w) => {
    const gs = groups.filter((g) => g.workload === w);
    return [`## ${w}`, '', `bootargs: \`${gs[0]!.config.args}\`, ${gs[0]!.config.vcpus / gs[0]!.config.nodes} vCPU per node`, '',
      markdownTable(TABLE_HEAD, gs.map(rowOf)), ''].join('\n');
  }).join('\n');
}

export const TABLE_NOTES = [
  'Runtime: guest time of the timed region (RESULT ticks / tbfreq), median over repeats; ±spread is half of (max − min) / median.',
  'Counters are medians over repeats, summed over nodes: faults taken, invalidations and messages sent, payload bytes sent;',
  'forwards: requests passed on by a manager or probable owner; hops: sum of the hop counts of requests owners served;',
  'holds: requests an owner held back until its Mirage Δ had passed.',
  'p50/p99: fault latency over every node\'s faults (the nodes\' latency histograms merged; within 3%), median over repeats.',
  'A knob in a variant\'s name, e.g. ivy-dynamic+mirage(Δ=0.25ms), was set for that row; a variant without one ran with its defaults.',
  '"same counters across repeats": ✓ when read/write faults, invalidations, messages, bytes and forwards were identical in every repeat;',
  '✗ lists the counters that differed and their range (the sharing pattern depended on timing); – when there was one repeat.',
].join('\n');
