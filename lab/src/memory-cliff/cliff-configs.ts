/**
 * The memory-cliff configurations and the `unum run` command line of each:
 *   (a) one node with memory to spare, V vCPUs;
 *   (b) one node capped at --node-mem with swap, the same V vCPUs;
 *   (c) N nodes each capped at --node-mem, the DSM between them, the same
 *       V vCPUs spread over the nodes (--placement, default rr: one per node
 *       when V = N), pages owned by their first toucher (--page-placement).
 * Compute is equal in all three; only where memory lives changes. Every
 * node has the same swap device, so (c) swaps only what its aggregate
 * cannot hold.
 *
 * @example
 *   const argv = cliffArgv(o, cliffConfigs(o)[0]!, 'stats.json', '/tmp/swap');
 */
import { join } from 'node:path';

export const CLIFF_WORKLOADS = ['memscan', 'hashjoin'] as const;
export type CliffWorkload = (typeof CLIFF_WORKLOADS)[number];
/** memscan's random pass: over the whole array, or inside each thread's own partition (NUMA-aware). */
export const CLIFF_SCOPES = ['local', 'global'] as const;

export interface CliffOptions {
  workload: CliffWorkload;
  sizes: number[];
  nodeMem: number;
  /** Aggregated configurations: node counts above 1. */
  nodes: number[];
  vcpus: number;
  /** memscan only. */
  scope?: (typeof CLIFF_SCOPES)[number];
  placement: string;
  pagePlacement: string;
  protocol: string;
  unit: string;
  swapDevice: string;
  linkLatency?: string;
  repeat: number;
  iters: number;
  out: string;
  unumBin: string;
  repo: string;
  timeoutMs: number;
}

export type CliffKind = 'baseline' | 'swap' | 'dsm';
export interface CliffConfig { config: string; kind: CliffKind; nodes: number; size: number; rep: number }

const MiB = 2 ** 20;

/** Guest RAM for a working set: the workload's footprint plus the image, stacks and FDT (QEMU needs ~2 MiB). */
export const guestMem = (w: CliffWorkload, size: number): number =>
  Math.ceil(((w === 'hashjoin' ? 1.7 : 1) * size + 4 * MiB) / MiB) * MiB;

export function configName(o: CliffOptions, kind: CliffKind, nodes: number): string {
  const v = `${o.vcpus} vCPU${o.vcpus > 1 ? 's' : ''}`;
  const nm = `${o.nodeMem / MiB}M`;
  if (kind === 'baseline') return `(a) 1 node, memory to spare, ${v}`;
  if (kind === 'swap') return `(b) 1 node, ${nm} + swap (${o.swapDevice}), ${v}`;
  return `(c) ${nodes} nodes x ${nm}, DSM, ${v}`;
}

export function cliffConfigs(o: CliffOptions): CliffConfig[] {
  const out: CliffConfig[] = [];
  for (let rep = 0; rep < o.repeat; rep++) {
    for (const size of o.sizes) {
      out.push({ config: configName(o, 'baseline', 1), kind: 'baseline', nodes: 1, size, rep });
      out.push({ config: configName(o, 'swap', 1), kind: 'swap', nodes: 1, size, rep });
      for (const n of o.nodes) out.push({ config: configName(o, 'dsm', n), kind: 'dsm', nodes: n, size, rep });
    }
  }
  return out;
}

/** The `unum run` flags of a configuration that do not depend on the size. */
export function configFlags(o: CliffOptions, kind: CliffKind, nodes: number): string[] {
  const f = ['--nodes', String(nodes), '--vcpus', String(o.vcpus), '--swap-device', o.swapDevice];
  if (kind !== 'baseline') f.push('--node-mem', `${o.nodeMem / MiB}M`);
  if (kind === 'dsm') {
    f.push('--placement', o.placement, '--page-placement', o.pagePlacement, '--protocol', o.protocol, '--unit', o.unit);
    if (o.linkLatency) f.push('--link-latency', o.linkLatency);
  }
  return f;
}

/** Guest arguments (after `--`). */
export function bootArgs(o: CliffOptions, size: number): string[] {
  const a = [`size=${size / MiB}M`, `iters=${o.iters}`];
  if (o.workload === 'memscan') a.push(`scope=${o.scope ?? 'local'}`);
  return a;
}

export function cliffArgv(o: CliffOptions, c: CliffConfig, statsFile: string, swapDir: string): string[] {
  return [process.execPath, o.unumBin, 'run', join(o.repo, 'guest', 'bin', `${o.workload}.elf`), ...configFlags(o, c.kind, c.nodes),
    '--mem', `${guestMem(o.workload, c.size) / MiB}M`, '--stats', statsFile, '--swap-dir', swapDir, '--', ...bootArgs(o, c.size)];
}

/** What results.json and the docs show: each configuration and its exact flags. */
export function describeConfigs(o: CliffOptions): { config: string; kind: CliffKind; nodes: number; vcpus: number; command: string }[] {
  const kinds: [CliffKind, number][] = [['baseline', 1], ['swap', 1], ...o.nodes.map((n): [CliffKind, number] => ['dsm', n])];
  return kinds.map(([kind, nodes]) => ({
    config: configName(o, kind, nodes), kind, nodes, vcpus: o.vcpus,
    command: `unum run guest/bin/${o.workload}.elf ${configFlags(o, kind, nodes).join(' ')} --mem <footprint+4M> -- ${bootArgs(o, 0).slice(1).join(' ')} size=<working set>`,
  }));
}
