/**
 * The cluster flags of `unum run` (--nodes, --cluster, --placement,
 * --protocol and its knobs, --unit, --page-placement, --node-mem, --stats, --token-file)
 * and their parsing into a VmRequest. Bad values throw UsageError/
 * MachineError with one line (exit 2) before any process starts.
 */
import { Option, type Command } from 'commander';
import { QUANTUM_MAX, QUANTUM_MIN, canonicalProtocol, checkRequest, type VmRequest } from '@unum/coordinator';
import { parseIntIn, parseSize } from './parse.js';
import { UsageError } from './usage-error.js';
import { checkKnobs, KNOB_FLAGS, knobText, parseKnobValue, PROTOCOL_HELP } from './knob-flags.js';
import { addMemoryOptions, type MemoryCliOptions } from './memory-options.js';

export interface ClusterRunOptions extends MemoryCliOptions {
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
}

export function addClusterOptions(cmd: Command): Command {
  addMemoryOptions(cmd, 'embedded default: --mem when --node-mem is below it, else 0');
  cmd
    .option('--nodes <n>', 'embedded cluster: start N agent processes on 127.0.0.1')
    .option('--cluster <host:port>', 'run on a standing cluster (its coordinator)')
    .option('--placement <spec>', 'vCPUs on nodes: rr, packed, or a list like 0,1,1', 'rr')
    .option('--protocol <name>', PROTOCOL_HELP, 'ivy-dynamic');
  for (const k of KNOB_FLAGS) cmd.option(`--${k.flag} <${k.knob === 'mirageMs' ? 'ms' : 'n'}>`, k.help);
  return cmd
    .option('--unit <size>', 'DSM coherence unit, 4K..64K', '4K')
    .addOption(new Option('--page-placement <where>', 'initial page owners').choices(['node0', 'interleaved', 'first-touch']).default('node0'))
    .option('--node-mem <size>', 'embedded cluster: memory each agent offers (default: --mem)')
    .option('--deterministic', 'lockstep mode: harts run in quanta, faults resolve one at a time between quanta; DSM counters repeat exactly (docs/determinism.md)')
    .option('--quantum <n>', `instructions per lockstep quantum (implies --deterministic; default ${DEFAULT_QUANTUM})`)
    .option('--stats <file.json>', 'write per-node DSM and run statistics as JSON')
    .option('--token-file <file>', 'cluster secret for --cluster (default: $UNUM_TOKEN)')
    .option('--dashboard [addr:port]', 'live dashboard over HTTP (default 127.0.0.1:7780; implies --nodes 1); its URL goes to stderr');
}

export function wantsCluster(o: ClusterRunOptions): boolean {
  return o.nodes !== undefined || o.cluster !== undefined || o.dashboard !== undefined || o.deterministic === true || o.quantum !== undefined;
}

export const MAX_NODES = 16;
export const DEFAULT_QUANTUM = 20_000;

/** The VM request from the flags; `nodes` is checked too when known (embedded). */
export function vmRequestOf(o: ClusterRunOptions, vcpus: number, memBytes: number): { request: VmRequest; nodes?: number } {
  if (o.nodes !== undefined && o.cluster !== undefined) throw new UsageError('--nodes and --cluster exclude each other');
  if (o.dashboard !== undefined && o.cluster !== undefined) throw new UsageError('--dashboard serves an embedded cluster; a standing one has its own (unum coordinator --dashboard)');
  // the in-process single-node Machine has no dashboard feed and no lockstep: run a 1-node cluster
  if ((o.dashboard !== undefined || o.deterministic || o.quantum !== undefined) && o.nodes === undefined && o.cluster === undefined) o.nodes = '1';
  const nodes = o.nodes === undefined ? undefined : parseIntIn(o.nodes, '--nodes', 1, MAX_NODES);
  const protocol = canonicalProtocol(o.protocol);
  const knobs: Record<string, number> = {};
  for (const k of KNOB_FLAGS) {
    const text = knobText(o, k);
    if (text !== undefined) knobs[k.knob] = parseKnobValue(text, `--${k.flag}`);
  }
  checkKnobs(protocol, knobs);
  const request: VmRequest = {
    vcpus, memBytes, placement: o.placement.trim(), protocol, unitBytes: parseSize(o.unit, '--unit'),
    pagePlacement: o.pagePlacement, knobs,
  };
  if (o.quantum !== undefined) request.quantum = parseIntIn(o.quantum, '--quantum', QUANTUM_MIN, QUANTUM_MAX);
  else if (o.deterministic) request.quantum = DEFAULT_QUANTUM;
  checkRequest(request, nodes);
  return { request, nodes };
}
