/**
 * `unum run X.elf --nodes N | --cluster HOST:PORT ...`: the guest on several
 * agent processes. Embedded (--nodes): coordinator here, N agents spawned on
 * 127.0.0.1. Standing (--cluster): the VM is created through the gRPC API
 * and its console streamed back. Either way: UART on stdout, a per-node
 * summary on stderr, `--stats` JSON, exit status = the guest's; every
 * process torn down on success, failure and SIGINT/SIGTERM.
 */
import { writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { ConsoleTee, EmbeddedCluster, openRunDashboard, type ClusterResult, type ClusterStats, type DashboardServer, type VmRequest } from '@unum/coordinator';
import { runOnStandingCluster } from './cluster-client.js';
import { vmRequestOf, type ClusterRunOptions } from './cluster-options.js';
import { PAGE_SIZE } from '@unum/machine';
import { MAX_NODE_FRAMES } from '@unum/node-agent';
import { parseSize } from './parse.js';
import { UsageError } from './usage-error.js';
import { agentArgsOf, memoryFlagsOf } from './memory-options.js';
import { ClusterRunError } from './cluster-run-error.js';
import { StdioConsole } from './stdio-console.js';
import { UNUM_BIN } from './paths.js';

export interface ClusterRunContext {
  elf: Uint8Array;
  bootargs: string;
  vcpus: number;
  memBytes: number;
  logger: Logger;
  logLevel: string;
}

export async function runCluster(ctx: ClusterRunContext, o: ClusterRunOptions): Promise<number> {
  const { request, nodes } = vmRequestOf(o, ctx.vcpus, ctx.memBytes);
  const finish = async (stats: ClusterStats, summary: string, exitCode: number, reason: string): Promise<number> => {
    if (reason && stats.outcome === 'stopped') process.stderr.write(`unum: ${reason}\n`);
    process.stderr.write(`${summary}\n`);
    if (o.stats) await writeFile(o.stats, `${JSON.stringify(stats, null, 2)}\n`);
    return exitCode;
  };
  try {
    if (o.cluster !== undefined) return await runOnStandingCluster(o.cluster, o.tokenFile, ctx, request, finish);
    return await runEmbedded(ctx, o, request, nodes!, finish);
  } catch (e) {
    if (!(e instanceof ClusterRunError)) throw e;
    process.stderr.write(`unum: ${e.message}\n`);
    return 1;
  }
}

async function runEmbedded(ctx: ClusterRunContext, o: ClusterRunOptions, request: VmRequest, nodes: number,
  finish: (s: ClusterStats, summary: string, code: number, reason: string) => Promise<number>): Promise<number> {
  // One node's frame pool lives in a 4 GiB wasm memory: a bigger guest needs
  // several nodes (or swap), so the default offer is capped there.
  const maxNodeMem = MAX_NODE_FRAMES * PAGE_SIZE;
  const nodeMem = o.nodeMem ? parseSize(o.nodeMem, '--node-mem') : Math.min(ctx.memBytes, maxNodeMem);
  if (nodeMem > maxNodeMem) throw new UsageError(`--node-mem ${nodeMem / 2 ** 20} MiB is more than one node can hold (${Math.floor(maxNodeMem / 2 ** 20)} MiB)`);
  const cores = Math.ceil(ctx.vcpus / nodes);
  // Capped nodes swap by default: enough for the whole guest, so --mem may exceed the nodes' memory.
  const agentArgs = agentArgsOf(memoryFlagsOf(o, nodeMem * nodes < ctx.memBytes || nodeMem < ctx.memBytes ? ctx.memBytes : 0));
  let stopReason: string | undefined;
  let vmStop: ((why: string) => void) | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    stopReason ??= `interrupted (${sig})`;
    vmStop?.(stopReason);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let cluster: EmbeddedCluster | undefined;
  const stdio = new StdioConsole(process.stdin, process.stdout, () => onSignal('SIGINT'));
  const tee = o.dashboard !== undefined ? new ConsoleTee(stdio) : undefined;
  const console = tee ?? stdio;
  let dashboard: DashboardServer | undefined;
  try {
    cluster = await EmbeddedCluster.start({ agentBin: UNUM_BIN, nodes, nodeMem, cores, logger: ctx.logger, logLevel: ctx.logLevel, agentArgs })
      .catch((e: unknown) => { throw ClusterRunError.wrap(e); });
    if (stopReason) throw new ClusterRunError(stopReason);
    const vm = await cluster.coordinator.createVm({ elf: ctx.elf, request, members: cluster.members, bootargs: ctx.bootargs, console })
      .catch((e: unknown) => { throw ClusterRunError.wrap(e); });
    vmStop = (why) => vm.stop(why);
    if (tee) dashboard = await openRunDashboard(o.dashboard!, vm, tee, ctx.logger, o.tokenFile).catch((e: unknown) => { vm.stop('dashboard failed'); throw e; });
    if (stopReason) vm.stop(stopReason);
    else await vm.start().catch((e: unknown) => vm.stop(e instanceof Error ? e.message : String(e)));
    const result: ClusterResult = await vm.done;
    await stdio.flush();
    return await finish(result.stats, result.summary, result.exitCode, result.stats.reason);
  } finally {
    stdio.close();
    await dashboard?.close();
    await cluster?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
