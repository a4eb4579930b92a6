/**
 * `unum experiment memory-cliff --workload memscan --sizes 16M,32M,64M
 * --node-mem 32M --nodes 2 [--vcpus V] [--scope local|global]
 * [--page-placement first-touch] [--swap-device hdd] [--link-latency 50us]
 * [--repeat N] --out DIR` (docs/memory-cliff.md).
 */
import { Option, type Command } from 'commander';
import { placements } from '@unum/dsm';
import { SWAP_DEVICES } from '@unum/node-agent';
import type { CliCommand } from '../command.js';
import { experimentGroup } from '../experiment-group.js';
import { parseDuration } from '../memory-options.js';
import { parseIntIn, parseSize } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { REPO, UNUM_BIN } from '../paths.js';
import { CLIFF_SCOPES, CLIFF_WORKLOADS, runMemoryCliff, type CliffWorkload } from '@unum/lab';
import { endExperiment } from '../experiment-outcome.js';

interface CliffCli {
  workload: string; sizes: string; nodeMem: string; nodes: string; vcpus?: string; scope?: string; placement: string; pagePlacement: string;
  protocol: string; unit: string; swapDevice: string; linkLatency?: string; repeat: string; iters: string; out: string; timeout: string;
}

export const experimentMemoryCliffCommand: CliCommand = {
  name: 'experiment memory-cliff',
  register(program: Command, done: (status: number) => void): void {
    experimentGroup(program)
      .command('memory-cliff')
      .description('runtime against working set: 1 node with room, 1 capped node swapping, N capped nodes with the DSM')
      .addOption(new Option('--workload <name>', 'guest workload').choices([...CLIFF_WORKLOADS]).default('memscan'))
      .requiredOption('--sizes <list>', 'working-set sizes, e.g. 16M,32M,64M,128M')
      .requiredOption('--node-mem <size>', 'memory of each capped node')
      .option('--nodes <list>', 'node counts for the aggregated configuration (each > 1)', '2')
      .option('--vcpus <n>', 'vCPUs in every configuration (default: the largest --nodes, one per node in (c))')
      .addOption(new Option('--scope <where>', 'memscan random reads: inside each thread\'s partition (NUMA-aware) or over the whole array').choices([...CLIFF_SCOPES]))
      .option('--placement <spec>', '(c): vCPUs on nodes (unum run --placement)', 'rr')
      .addOption(new Option('--page-placement <where>', '(c): initial page owners').choices(placements).default('first-touch'))
      .option('--protocol <name>', '(c): DSM variant', 'ivy-dynamic')
      .option('--unit <size>', '(c): DSM coherence unit, 4K..64K', '4K')
      .addOption(new Option('--swap-device <model>', 'swap latency model for (b)').choices([...SWAP_DEVICES]).default('real'))
      .option('--link-latency <time>', 'one-way latency added to DSM links, e.g. 50us')
      .option('--repeat <n>', 'runs per point (median)', '1')
      .option('--iters <n>', 'workload iterations', '1')
      .option('--timeout <s>', 'per-run timeout in seconds', '900')
      .requiredOption('--out <dir>', 'output directory')
      .action(async (o: CliffCli) => {
        const sizes = o.sizes.split(',').map((s) => parseSize(s, '--sizes'));
        const nodes = o.nodes.split(',').map((n) => parseIntIn(n, '--nodes', 2, 16));
        if (o.linkLatency) parseDuration(o.linkLatency, '--link-latency');
        parseSize(o.unit, '--unit');
        if (sizes.length === 0) throw new UsageError('--sizes: give at least one size');
        if (o.scope && o.workload !== 'memscan') throw new UsageError(`--scope: only memscan has a scope (not ${o.workload})`);
        const vcpus = o.vcpus === undefined ? Math.max(...nodes) : parseIntIn(o.vcpus, '--vcpus', 1, 64);
        await endExperiment('memory-cliff', o.out, runMemoryCliff({
          workload: o.workload as CliffWorkload, sizes, nodeMem: parseSize(o.nodeMem, '--node-mem'), nodes, vcpus,
          scope: o.workload === 'memscan' ? ((o.scope ?? 'local') as 'local' | 'global') : undefined,
          placement: o.placement, pagePlacement: o.pagePlacement, protocol: o.protocol, unit: o.unit,
          swapDevice: o.swapDevice, linkLatency: o.linkLatency, repeat: parseIntIn(o.repeat, '--repeat', 1, 100),
          iters: parseIntIn(o.iters, '--iters', 1, 1000), out: o.out, unumBin: UNUM_BIN, repo: REPO,
          timeoutMs: parseIntIn(o.timeout, '--timeout', 1, 86400) * 1000,
        }), done);
      });
  },
};
