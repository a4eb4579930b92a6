/**
 * A cluster VM's plan, checked before anything starts: which node runs each
 * hart (round-robin, packed, or an explicit list), the DSM variant, unit and
 * initial page placement, and each node's NUMA share of RAM. Bad input
 * throws a MachineError('bad-config') with one line (the CLI exits 2).
 *
 * @example
 *   const plan = planVm({ vcpus: 4, memBytes: 256 << 20, placement: 'rr', protocol: 'ivy-dynamic',
 *     unitBytes: 4096, pagePlacement: 'node0' }, [{ memBytes: 512 << 20, cores: 2 }, ...]);
 *   plan.hartNode;        // [0, 1, 0, 1]
 */
import { createProtocol, parseProtocol, placements, protocolKnobs, protocolSpec, type Placement, type ProtocolKnobs } from '@unum/dsm';
import { PAGE_SIZE, RAM_BASE, type NumaLayout } from '@unum/machine';
import { MachineError } from '../machine-error.js';

export const MAX_VCPUS = 64;

export interface VmRequest {
  vcpus: number;
  memBytes: number;
  /** 'rr' | 'packed' | '0,1,1,...' (one node index per hart). */
  placement: string;
  protocol: string;
  unitBytes: number;
  pagePlacement: string;
  /** Protocol knobs set by the user (unset: the variant's default). */
  knobs?: ProtocolKnobs;
  /** Lockstep (deterministic) mode: instructions per quantum; absent = harts run freely. */
  quantum?: number;
}

/** Quantum bounds: below, coordination dominates; above, a stalled hart waits too long. */
export const QUANTUM_MIN = 1000;
export const QUANTUM_MAX = 10_000_000;

export interface NodeOffer {
  memBytes: number;
  cores: number;
  /** Swap behind the node's frames (guest RAM may exceed memory by this much). */
  swapBytes?: number;
}

export interface VmPlan extends VmRequest {
  nodes: number;
  hartNode: number[];
  pagePlacement: Placement;
  /** The knobs in effect: every knob the protocol reads, defaults filled in. */
  knobs: ProtocolKnobs;
  numa: NumaLayout;
  /** The node that owns `unit` before anyone touches it (where the boot image goes). */
  initialOwner(unit: number): number;
}

const bad = (msg: string): MachineError => new MachineError('bad-config', msg);

/** Checks that need no agents (run before starting any process); the placement against `nodes` when known. */
export function checkRequest(r: VmRequest, nodes?: number): void {
  if (!Number.isInteger(r.vcpus) || r.vcpus < 1 || r.vcpus > MAX_VCPUS) throw bad(`--vcpus must be 1..${MAX_VCPUS} (got ${r.vcpus})`);
  if (nodes !== undefined && (!Number.isInteger(nodes) || nodes < 1)) throw bad(`--nodes must be at least 1 (got ${nodes})`);
  knobsOf(r);
  const u = r.unitBytes;
  if (!Number.isInteger(u) || u < 4096 || u > 65536 || (u & (u - 1)) !== 0) throw bad(`--unit must be a power of two from 4K to 64K (got ${u})`);
  if (!placements.includes(r.pagePlacement as Placement)) throw bad(`unknown page placement '${r.pagePlacement}' (have: ${placements.join(', ')})`);
  if (r.memBytes % u !== 0) throw bad(`--mem must be a multiple of the coherence unit (${u / 1024}K)`);
  const q = r.quantum;
  if (q !== undefined && (!Number.isInteger(q) || q < QUANTUM_MIN || q > QUANTUM_MAX)) {
    throw bad(`--quantum must be an integer from ${QUANTUM_MIN} to ${QUANTUM_MAX} instructions (got ${q})`);
  }
  const n = nodes ?? MAX_VCPUS; // unknown cluster size: check the spec's shape only
  placeHarts(r.placement, r.vcpus, Array.from({ length: n }, () => ({ memBytes: 0, cores: 1 })));
}

export function planVm(r: VmRequest, offers: NodeOffer[]): VmPlan {
  checkRequest(r, offers.length);
  const offered = offers.reduce((a, o) => a + o.memBytes + (o.swapBytes ?? 0), 0);
  if (r.memBytes > offered) {
    throw bad(`--mem ${r.memBytes / 2 ** 20} MiB is more than the ${offers.length} node(s) offer (${offered / 2 ** 20} MiB of memory and swap)`);
  }
  const nodes = offers.length;
  const hartNode = placeHarts(r.placement, r.vcpus, offers);
  const knobs = knobsOf(r);
  const variant = createProtocol(protocolSpec(r.protocol, knobs), { self: 0, nodes, managerNode: 0 });
  const pagePlacement = r.pagePlacement as Placement;
  const initialOwner = (unit: number): number =>
    pagePlacement === 'node0' ? 0 : pagePlacement === 'interleaved' ? unit % nodes : variant.home(unit);
  return { ...r, protocol: variant.name, knobs, nodes, hartNode, pagePlacement, numa: numaLayout(nodes, hartNode, r.memBytes, r.unitBytes), initialOwner };
}

/** The canonical name of a protocol as typed (modifiers in any order); one line when bad. */
export function canonicalProtocol(name: string): string {
  try {
    return parseProtocol(name).canonical;
  } catch (e) {
    const msg = (e as Error).message;
    throw bad(`${msg.startsWith('unknown') ? 'unknown' : 'bad'} DSM protocol '${name}': ${msg.replace(/^[^:]*: /, '')}`);
  }
}

/** The protocol name and knobs checked (one line on a bad one); the knobs in effect. */
function knobsOf(r: VmRequest): ProtocolKnobs {
  canonicalProtocol(r.protocol);
  try {
    return protocolSpec(r.protocol, r.knobs).knobs;
  } catch (e) {
    throw bad((e as Error).message);
  }
}

/** Knobs off the wire (every field has a value there): those `protocol` reads; none when the name is bad (checkRequest says why). */
export function wireKnobs(protocol: string, wire: unknown): ProtocolKnobs | undefined {
  if (!wire || typeof wire !== 'object') return undefined;
  try {
    const w = wire as Record<string, number>;
    return Object.fromEntries(protocolKnobs(protocol).map((s) => [s.name, w[s.name]!]));
  } catch {
    return undefined;
  }
}

/** hartNode[h] for a placement spec; throws one line on a bad spec. */
export function placeHarts(spec: string, vcpus: number, offers: NodeOffer[]): number[] {
  const nodes = offers.length;
  if (spec === 'rr') return Array.from({ length: vcpus }, (_, h) => h % nodes);
  if (spec === 'packed') {
    // Fill each node up to the cores it offers, in order; whatever is left goes round-robin.
    const out: number[] = [];
    for (let n = 0; n < nodes && out.length < vcpus; n++) {
      for (let c = 0; c < Math.max(1, offers[n]!.cores) && out.length < vcpus; c++) out.push(n);
    }
    while (out.length < vcpus) out.push(out.length % nodes);
    return out;
  }
  if (!/^\d+(,\d+)*$/.test(spec)) throw bad(`bad --placement '${spec}': use rr, packed, or a node list like 0,1,1`);
  const list = spec.split(',').map(Number);
  if (list.length !== vcpus) throw bad(`bad --placement '${spec}': ${list.length} entries for ${vcpus} vcpus`);
  const off = list.find((n) => n >= nodes);
  if (off !== undefined) throw bad(`bad --placement '${spec}': node ${off} does not exist (nodes 0..${nodes - 1})`);
  return list;
}

/** One NUMA node per agent: RAM split into contiguous unit-aligned shares, distance 10 local / 20 remote. */
export function numaLayout(nodes: number, hartNode: number[], memBytes: number, unitBytes: number): NumaLayout {
  const align = Math.max(unitBytes, PAGE_SIZE);
  const share = Math.floor(memBytes / nodes / align) * align;
  const memory: NumaLayout['memory'] = [];
  let base = RAM_BASE;
  for (let n = 0; n < nodes; n++) {
    const size = n === nodes - 1 ? RAM_BASE + memBytes - base : share;
    if (size > 0) memory.push({ base, size, node: n });
    base += size;
  }
  return { nodes, hartNode, memory };
}
