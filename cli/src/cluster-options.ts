/**
 * The VM flags of `unum run` (--nodes, --cluster, --placement, --protocol
 * and its knobs, --unit, --page-placement, --node-mem, --deterministic,
 * --stats, --token-file, --dashboard) and their one parse into a VmSpec.
 */
import { Option, type Command } from 'commander';
import {
  canonicalProtocol, DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_QUANTUM, hartPlacementText, MachineError, MAX_NODES, QUANTUM_MAX, QUANTUM_MIN, vmSpecOf, type VmSpec, type VmSpecInput,
} from '@unum/coordinator';
import { placements } from '@unum/dsm';
import { checkAddress } from './address.js';
import { parseDurationMs, parseIntIn, parseSize } from './parse.js';
import { UsageError } from './usage-error.js';
import { checkKnobs, knobFlags, knobText, parseKnobValue, PROTOCOL_HELP } from './knob-flags.js';
import { addMemoryOptions, type MemoryCliOptions } from './memory-options.js';
import type { ProfileCliOptions } from './profile-options.js';
import { addDeviceOptions, devicesOf, type DeviceCliOptions } from './device-options.js';

export interface ClusterRunOptions extends MemoryCliOptions, ProfileCliOptions, DeviceCliOptions {
  nodes?: string;
  cluster?: string;
  placement: string;
  protocol: string;
  unit: string;
  pagePlacement: string;
  nodeMem?: string;
  stats?: string;
  tokenFile?: string;
  /** --deterministic / --quantum N: lockstep mode. */
  deterministic?: boolean;
  quantum?: string;
  /** --dashboard [ADDR:PORT] (true: the default address). */
  dashboard?: string | boolean;
  /** --heartbeat-timeout: the embedded coordinator's (a standing one has its own flag). */
  heartbeatTimeout?: string;
  /** --detach (with --cluster): print the VM id and leave it running. */
  detach?: boolean;
  /** --vcpu-migration off|fault-affinity. */
  vcpuMigration?: string;
}

export function addClusterOptions(cmd: Command): Command {
  addMemoryOptions(cmd, 'embedded default: --mem when --node-mem is below it, else 0');
  cmd
    .option('--nodes <n>', 'embedded cluster: start N agent processes on 127.0.0.1')
    .option('--cluster <host:port>', 'run on a standing cluster (its coordinator)')
    .option('--placement <spec>', 'vCPUs on nodes: rr, packed, or a list like 0,1,1', 'rr')
    .option('--protocol <name>', PROTOCOL_HELP, 'ivy-dynamic');
  for (const k of knobFlags()) cmd.option(`--${k.flag} <${k.valueName}>`, k.help);
  return addDeviceOptions(cmd)
    .option('--unit <size>', 'DSM coherence unit, 4K..64K', '4K')
    .addOption(new Option('--page-placement <where>', 'initial page owners (numa: the node whose share of RAM in the guest\'s NUMA map holds the page)').choices(placements).default('node0'))
    .option('--node-mem <size>', 'memory each node offers (default: --mem); below --mem the nodes swap')
    .option('--deterministic', 'lockstep mode: harts run in quanta, faults resolve one at a time between quanta; DSM counters repeat exactly (docs/determinism.md)')
    .option('--quantum <n>', `instructions per lockstep quantum (implies --deterministic; default ${DEFAULT_QUANTUM})`)
    .option('--stats <file.json>', 'write per-node DSM and run statistics as JSON')
    .option('--vcpu-migration <policy>', 'off (default), or fault-affinity: a hart moves to the node that serves most of its DSM faults (one node: nothing to move)')
    .option('--profile-dsm <file.json>', 'attribute DSM faults, messages, bytes and fault wait to guest pages and faulting pcs: top-N tables on stderr, the report as JSON, a chart beside it (.svg/.png)')
    .option('--symbols <file>', 'with --profile-dsm: System.map or an ELF (vmlinux, a bare-metal guest) naming the pages\' owners and the faulting functions')
    .option('--token-file <file>', 'cluster secret for --cluster (default: $UNUM_TOKEN)')
    .option('--dashboard [addr:port]', 'live dashboard over HTTP (default 127.0.0.1:7780); its URL goes to stderr')
    .option('--heartbeat-timeout <ms>', `with --nodes: an agent quiet this long is probed, and lost if still quiet half as long again (default ${DEFAULT_HEARTBEAT_TIMEOUT_MS}; e.g. 3s)`)
    .option('--detach', 'with --cluster: start the VM, print its id and exit 0; it runs until it ends or `unum vm stop` (without it, the VM stops when this client goes)');
}

/** Where the VM runs: one node in this process, N agent processes spawned here, or a standing cluster. */
export type RunTarget = { kind: 'local' } | { kind: 'embedded'; nodes: number; heartbeatTimeoutMs?: number } | { kind: 'cluster'; address: string; detach: boolean };

/**
 * The flags parsed once: the request as a client would send it (`request`:
 * canonical protocol name and the knobs set, what CreateVm carries), the
 * checked VmSpec built from it by the coordinator's own vmSpecOf, and where
 * the VM runs. Bad values throw one line (UsageError or MachineError, exit
 * 2) before any process starts, whichever the target.
 */
export function vmRequestOf(o: ClusterRunOptions, vcpus: number, memBytes: number): { request: VmSpecInput; spec: VmSpec; target: RunTarget } {
  if (o.nodes !== undefined && o.cluster !== undefined) throw new UsageError('--nodes and --cluster exclude each other');
  if (o.dashboard !== undefined && o.cluster !== undefined) throw new UsageError('--dashboard serves an embedded cluster; a standing one has its own (unum coordinator --dashboard)');
  if (o.nodeMem !== undefined && o.cluster !== undefined) throw new UsageError('--node-mem sizes the agents unum run starts; a standing cluster\'s agents have their own (unum agent --node-mem)');
  if (o.detach && o.cluster === undefined) throw new UsageError('--detach leaves a VM on a standing cluster: use it with --cluster');
  if (o.heartbeatTimeout !== undefined && o.nodes === undefined) {
    throw new UsageError(`--heartbeat-timeout is the embedded coordinator's (--nodes)${o.cluster !== undefined ? '; a standing one has its own (unum coordinator --heartbeat-timeout)' : ''}`);
  }
  const target: RunTarget = o.cluster !== undefined ? { kind: 'cluster', address: checkAddress(o.cluster, '--cluster'), detach: o.detach === true }
    : o.nodes !== undefined ? {
      kind: 'embedded', nodes: parseIntIn(o.nodes, '--nodes', 1, MAX_NODES),
      heartbeatTimeoutMs: o.heartbeatTimeout === undefined ? undefined : parseHeartbeatTimeout(o.heartbeatTimeout),
    } : { kind: 'local' };
  const protocol = canonicalProtocol(o.protocol);
  const knobs: Record<string, number> = {};
  for (const k of knobFlags()) {
    const text = knobText(o, k);
    if (text === undefined) continue;
    if (target.kind === 'local') throw new UsageError(`--${k.flag} tunes the DSM, which runs with --nodes or --cluster`);
    knobs[k.knob] = parseKnobValue(text, `--${k.flag}`);
  }
  checkKnobs(protocol, knobs);
  const request: VmSpecInput = {
    vcpus, memBytes, placement: o.placement.trim(), protocol, unitBytes: parseSize(o.unit, '--unit'), pagePlacement: o.pagePlacement, knobs,
    profileDsm: o.profileDsm !== undefined, vcpuMigration: o.vcpuMigration,
    ...devicesOf(o, target.kind === 'local' ? 1 : target.kind === 'embedded' ? target.nodes : undefined, target.kind !== 'cluster'),
  };
  if (o.quantum !== undefined) request.quantum = parseIntIn(o.quantum, '--quantum', QUANTUM_MIN, QUANTUM_MAX);
  else if (o.deterministic) request.quantum = DEFAULT_QUANTUM;
  const spec = vmSpecOf(request);
  if (target.kind === 'embedded') placeHartsOn(spec, target.nodes);
  return { request, spec, target };
}

/** `--heartbeat-timeout` of `unum run --nodes` and `unum coordinator`. */
export function parseHeartbeatTimeout(text: string): number {
  return parseDurationMs(text, '--heartbeat-timeout', 250, 600_000);
}

/** A placement list naming a node an embedded cluster will not have: refused before any agent starts. */
function placeHartsOn(spec: VmSpec, nodes: number): void {
  const p = spec.placement;
  const off = p.kind === 'list' ? p.nodes.find((n) => n >= nodes) : undefined;
  if (off !== undefined) throw new MachineError('bad-config', `bad --placement '${hartPlacementText(p)}': node ${off} does not exist (nodes 0..${nodes - 1})`);
}
