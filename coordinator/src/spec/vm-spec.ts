/**
 * VmSpec: what a VM is, parsed and checked once at the edge. The CLI (flags),
 * the `--cluster` client (before it calls CreateVm) and the coordinator's
 * CreateVm (the request off the wire) all build it with `vmSpecOf`, so the
 * same bad input gets the same one line everywhere; nothing downstream sees
 * a protocol name or a size as a string again (cloud-hypervisor's VmConfig).
 *
 * @example
 *   const spec = vmSpecOf({ vcpus: 2, memBytes: 128 << 20, placement: 'rr', protocol: 'ivy-dynamic+mirage',
 *     knobs: { mirageMs: 0.5 }, unitBytes: 4096, pagePlacement: 'node0' });
 *   spec.protocol.knobs.mirageMs;   // 0.5
 */
import { knobSpecs, parseProtocol, placements, protocolSpec, type Placement, type ProtocolKnobs, type ProtocolSpec } from '@unum/dsm';
import { VcpuMigration, type VirtioDeviceSpec } from '@unum/protos/cluster';
import { MachineError } from '../machine-error.js';
import { checkNetdevs } from './netdev-spec.js';

export const MAX_VCPUS = 64;
/** Embedded and standing clusters: one NUMA node (memory range) per agent. */
export const MAX_NODES = 64;
/** Guest RAM: the node's GPA page table holds one entry per 4 KiB page of up to 16 GiB. */
export const MAX_MEM = 16 * 2 ** 30;
export const MIN_UNIT = 4096;
export const MAX_UNIT = 65536;
/** Lockstep quantum bounds: below, coordination dominates; above, a stalled hart waits too long. */
export const QUANTUM_MIN = 1000;
export const QUANTUM_MAX = 10_000_000;
export const DEFAULT_QUANTUM = 20_000;
export const DEFAULT_PROTOCOL = 'ivy-dynamic';

/** Which node runs each hart: round-robin, packed onto nodes' cores, or one node index per hart. */
export type HartPlacement = { kind: 'rr' } | { kind: 'packed' } | { kind: 'list'; nodes: number[] };

/** How harts run: freely, or in lockstep quanta of `quantum` instructions (docs/determinism.md). */
export type RunPolicy = { kind: 'free' } | { kind: 'lockstep'; quantum: number };

export interface VmSpec {
  vcpus: number;
  memBytes: number;
  placement: HartPlacement;
  protocol: ProtocolSpec;
  unitBytes: number;
  pagePlacement: Placement;
  run: RunPolicy;
  /** --profile-dsm: every node attributes its DSM faults, messages, bytes and wait to units and pcs. */
  profileDsm: boolean;
  /** virtio devices (--drive, --device) in command-line order: the first takes the highest virtio-mmio slot. */
  devices: VirtioDeviceSpec[];
  /** --device-node: the node whose agent runs the devices and their DMA (checked against the nodes by planVm). */
  deviceNode: number;
  /** --vcpu-migration: off, or move a hart to the node that serves most of its DSM faults (docs/cluster.md). */
  vcpuMigration: VcpuMigrationPolicy;
}

export const VCPU_MIGRATION_POLICIES = ['off', 'fault-affinity'] as const;
export type VcpuMigrationPolicy = (typeof VCPU_MIGRATION_POLICIES)[number];

/** The spec's fields as a user or a client gives them (numbers already parsed from their text). */
export interface VmSpecInput {
  vcpus: number;
  memBytes: number;
  placement?: string;
  protocol?: string;
  /** Knobs set for the protocol, by KnobSpec name. */
  knobs?: ProtocolKnobs;
  unitBytes?: number;
  pagePlacement?: string;
  /** Lockstep quantum; undefined or 0: free-running. */
  quantum?: number;
  /** Profile the DSM (unum run --profile-dsm). */
  profileDsm?: boolean;
  /** --drive / --device (parsed by the CLI's drive-options; off the wire for CreateVm). */
  devices?: VirtioDeviceSpec[];
  deviceNode?: number;
  /** --vcpu-migration as typed (default off). */
  vcpuMigration?: string;
}

const bad = (msg: string): MachineError => new MachineError('bad-config', msg);

/** Knob names as the flags that set them (`--mirage-ms`), so every path names them alike. */
const flagOfKnob = (knob: string): string => `--${knobSpecs().find((k) => k.spec.name === knob)?.spec.flag ?? knob}`;

/** The one parse and check of a VM's shape; throws MachineError('bad-config') with one line. */
export function vmSpecOf(i: VmSpecInput): VmSpec {
  if (!Number.isInteger(i.vcpus) || i.vcpus < 1 || i.vcpus > MAX_VCPUS) throw bad(`--vcpus must be 1..${MAX_VCPUS} (got ${i.vcpus})`);
  const protocol = protocolOf(i.protocol ?? DEFAULT_PROTOCOL, i.knobs ?? {});
  const unitBytes = i.unitBytes ?? MIN_UNIT;
  if (!Number.isInteger(unitBytes) || unitBytes < MIN_UNIT || unitBytes > MAX_UNIT || (unitBytes & (unitBytes - 1)) !== 0) {
    throw bad(`--unit must be a power of two from 4K to 64K (got ${unitBytes})`);
  }
  if (!Number.isSafeInteger(i.memBytes) || i.memBytes <= 0) throw bad(`--mem must be a positive size (got ${i.memBytes})`);
  if (i.memBytes > MAX_MEM) throw bad(`--mem ${i.memBytes / 2 ** 20} MiB is more than a guest can have (${MAX_MEM / 2 ** 30} GiB)`);
  if (i.memBytes % unitBytes !== 0) throw bad(`--mem must be a multiple of the coherence unit (${unitBytes / 1024}K)`);
  const pagePlacement = i.pagePlacement ?? 'node0';
  if (!placements.includes(pagePlacement as Placement)) throw bad(`unknown page placement '${pagePlacement}' (have: ${placements.join(', ')})`);
  const run = runPolicyOf(i.quantum);
  return {
    vcpus: i.vcpus, memBytes: i.memBytes, placement: hartPlacementOf(i.placement ?? 'rr', i.vcpus), protocol, unitBytes,
    pagePlacement: pagePlacement as Placement, run, profileDsm: i.profileDsm === true,
    devices: devicesOf(i.devices ?? []), deviceNode: deviceNodeOf(i.deviceNode ?? 0), vcpuMigration: vcpuMigrationOf(i.vcpuMigration ?? 'off', run),
  };
}

/** The policy on the wire (CreateVm, VmSetup) and back: unknown text maps to an enum value vmSpecOf rejects. */
export function vcpuMigrationWire(text: string | undefined): VcpuMigration {
  return text === 'fault-affinity' ? VcpuMigration.VCPU_MIGRATION_FAULT_AFFINITY : VcpuMigration.VCPU_MIGRATION_OFF;
}

export function vcpuMigrationText(wire: VcpuMigration): string {
  return wire === VcpuMigration.VCPU_MIGRATION_FAULT_AFFINITY ? 'fault-affinity' : wire === VcpuMigration.VCPU_MIGRATION_OFF ? 'off' : `#${wire}`;
}

function vcpuMigrationOf(text: string, run: RunPolicy): VcpuMigrationPolicy {
  const policy = VCPU_MIGRATION_POLICIES.find((p) => p === text);
  if (!policy) throw bad(`bad --vcpu-migration '${text}': use ${VCPU_MIGRATION_POLICIES.join(' or ')}`);
  if (policy !== 'off' && run.kind === 'lockstep') throw bad('--vcpu-migration needs free-running harts (not --deterministic or --quantum)');
  return policy;
}

/** The canonical name of a protocol as typed (modifiers in any order); one line, naming every valid name, when bad. */
export function canonicalProtocol(name: string): string {
  try {
    return parseProtocol(name).canonical;
  } catch (e) {
    const msg = (e as Error).message;
    throw bad(`${msg.startsWith('unknown') ? 'unknown' : 'bad'} DSM protocol '${name}': ${msg.replace(/^[^:]*: /, '')}`);
  }
}

function protocolOf(name: string, knobs: ProtocolKnobs): ProtocolSpec {
  canonicalProtocol(name);
  try {
    return protocolSpec(name, knobs, flagOfKnob);
  } catch (e) {
    throw bad((e as Error).message);
  }
}

function runPolicyOf(quantum: number | undefined): RunPolicy {
  if (quantum === undefined || quantum === 0) return { kind: 'free' };
  if (!Number.isInteger(quantum) || quantum < QUANTUM_MIN || quantum > QUANTUM_MAX) {
    throw bad(`--quantum must be an integer from ${QUANTUM_MIN} to ${QUANTUM_MAX} instructions (got ${quantum})`);
  }
  return { kind: 'lockstep', quantum };
}

/** 'rr' | 'packed' | '0,1,1' (one node per hart); node indices are checked against the cluster in planVm. */
export function hartPlacementOf(text: string, vcpus: number): HartPlacement {
  const spec = text.trim();
  if (spec === 'rr' || spec === 'packed') return { kind: spec };
  if (!/^\d+(,\d+)*$/.test(spec)) throw bad(`bad --placement '${text}': use rr, packed, or a node list like 0,1,1`);
  const nodes = spec.split(',').map(Number);
  if (nodes.length !== vcpus) throw bad(`bad --placement '${text}': ${nodes.length} entries for ${vcpus} vcpus`);
  const far = nodes.find((n) => n >= MAX_NODES);
  if (far !== undefined) throw bad(`bad --placement '${text}': node ${far} does not exist (at most ${MAX_NODES} nodes)`);
  return { kind: 'list', nodes };
}

/** The placement as typed (for stats and the wire). */
export function hartPlacementText(p: HartPlacement): string {
  return p.kind === 'list' ? p.nodes.join(',') : p.kind;
}

/** The virtio slots of the board (QEMU virt has 8). */
export const MAX_VIRTIO_DEVICES = 8;

function devicesOf(devices: VirtioDeviceSpec[]): VirtioDeviceSpec[] {
  if (devices.length > MAX_VIRTIO_DEVICES) throw bad(`${devices.length} virtio devices: the board has ${MAX_VIRTIO_DEVICES} virtio-mmio slots`);
  for (const d of devices) {
    if (!d.kind) throw bad('a virtio device without a kind');
    if (d.kind.$case === 'drive' && !d.kind.value.file) throw bad('--drive needs file=PATH');
  }
  checkNetdevs(devices);
  return devices;
}

function deviceNodeOf(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= MAX_NODES) throw bad(`bad --device-node ${n} (a node index, 0..${MAX_NODES - 1})`);
  return n;
}
