/**
 * A VM's plan on the nodes it got: which node runs each hart, each node's
 * NUMA share of RAM, and the node owning each unit before anyone touches it.
 * The spec was checked by vmSpecOf; what is left to check needs the nodes
 * (a placement naming a node that is not there, more RAM than they offer).
 *
 * @example
 *   const plan = planVm(spec, [{ memBytes: 512 << 20, cores: 2, swapBytes: 0 }, ...]);
 *   plan.hartNode;        // [0, 1, 0, 1]
 */
import { createProtocol, numaNodeOf, numaShareUnits, protocolName } from '@unum/dsm';
import { PAGE_SIZE, RAM_BASE, type NumaLayout } from '@unum/machine';
import { MachineError } from '../machine-error.js';
import type { NodeOffer } from '../nodes/node-link.js';
import type { HartPlacement, VmSpec } from '../spec/vm-spec.js';

export interface VmPlan extends VmSpec {
  nodes: number;
  hartNode: number[];
  /** The protocol's canonical name (stats, summaries). */
  protocolName: string;
  numa: NumaLayout;
  /** The node that owns `unit` before anyone touches it (where the boot image goes). */
  initialOwner(unit: number): number;
}

const bad = (msg: string): MachineError => new MachineError('bad-config', msg);

export function planVm(spec: VmSpec, offers: NodeOffer[]): VmPlan {
  const nodes = offers.length;
  if (nodes < 1) throw bad('a VM needs at least one node');
  const offered = offers.reduce((a, o) => a + o.memBytes + o.swapBytes, 0);
  if (spec.memBytes > offered) {
    throw bad(`--mem ${spec.memBytes / 2 ** 20} MiB is more than the ${nodes} node(s) offer (${offered / 2 ** 20} MiB of memory and swap)`);
  }
  const hartNode = placeHarts(spec.placement, spec.vcpus, offers);
  if (spec.deviceNode >= nodes) throw bad(`bad --device-node ${spec.deviceNode}: node ${spec.deviceNode} does not exist (nodes 0..${nodes - 1})`);
  const variant = createProtocol(spec.protocol, { self: 0, nodes, managerNode: 0 });
  const { pagePlacement } = spec;
  const units = Math.floor(spec.memBytes / spec.unitBytes);
  const initialOwner = (unit: number): number =>
    pagePlacement === 'node0' ? 0 : pagePlacement === 'interleaved' ? unit % nodes : pagePlacement === 'numa' ? numaNodeOf(unit, units, nodes) : variant.home(unit);
  return {
    ...spec, nodes, hartNode, protocolName: protocolName(spec.protocol),
    numa: numaLayout(nodes, hartNode, spec.memBytes, spec.unitBytes), initialOwner,
  };
}

/** hartNode[h] for a placement on these nodes; one line when a listed node is not there. */
export function placeHarts(p: HartPlacement, vcpus: number, offers: NodeOffer[]): number[] {
  const nodes = offers.length;
  switch (p.kind) {
    case 'rr':
      return Array.from({ length: vcpus }, (_, h) => h % nodes);
    case 'packed': {
      // Fill each node up to the cores it offers, in order; whatever is left goes round-robin.
      const out: number[] = [];
      for (let n = 0; n < nodes && out.length < vcpus; n++) {
        for (let c = 0; c < Math.max(1, offers[n]!.cores) && out.length < vcpus; c++) out.push(n);
      }
      while (out.length < vcpus) out.push(out.length % nodes);
      return out;
    }
    case 'list': {
      const off = p.nodes.find((n) => n >= nodes);
      if (off !== undefined) throw bad(`bad --placement '${p.nodes.join(',')}': node ${off} does not exist (nodes 0..${nodes - 1})`);
      return [...p.nodes];
    }
  }
}

/** One NUMA node per node: RAM split into contiguous unit-aligned shares (the DSM's numaShareUnits), distance 10 local / 20 remote. */
export function numaLayout(nodes: number, hartNode: number[], memBytes: number, unitBytes: number): NumaLayout {
  const align = Math.max(unitBytes, PAGE_SIZE);
  const share = numaShareUnits(Math.floor(memBytes / align), nodes) * align;
  const memory: NumaLayout['memory'] = [];
  let base = RAM_BASE;
  for (let n = 0; n < nodes; n++) {
    const size = n === nodes - 1 ? RAM_BASE + memBytes - base : share;
    if (size > 0) memory.push({ base, size, node: n });
    base += size;
  }
  return { nodes, hartNode, memory };
}
