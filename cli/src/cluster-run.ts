/**
 * `unum run` once its flags are a VmSpec: the same VM on whichever nodes the
 * target names. Local: one node in this process. Embedded (--nodes N): the
 * coordinator here and N agent processes on 127.0.0.1. Standing (--cluster):
 * the VM is created through the gRPC API and its console streamed back.
 * Local and embedded VMs are built by the one builder (Vm.create) and driven
 * here alike: UART on stdio, the dashboard, `--stats` JSON, signals; every
 * process is torn down on success, failure and SIGINT/SIGTERM. The exit
 * status is the guest's.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import {
  ConsoleTee, EmbeddedCluster, LocalNode, openRunDashboard, Vm, type BootSpec, type DashboardServer, type NodeLink, type VmSpec, type VmSpecInput,
} from '@unum/coordinator';
import { PAGE_SIZE } from '@unum/machine';
import { MAX_NODE_FRAMES, type NodeMemoryConfig } from '@unum/node-agent';
import type { ClusterStats } from '@unum/protos/stats';
import { writeDsmProfile, type ProfileOutput } from '@unum/lab';
import { runOnStandingCluster } from './cluster-client.js';
import type { ClusterRunOptions, RunTarget } from './cluster-options.js';
import { ClusterRunError } from './cluster-run-error.js';
import { memoryFlagsOf } from './memory-options.js';
import { parseSize } from './parse.js';
import { UNUM_BIN } from './paths.js';
import { StdioConsole } from './stdio-console.js';
import { UsageError } from './usage-error.js';

export interface RunContext {
  boot: BootSpec;
  spec: VmSpec;
  /** The spec's fields as a client sends them (--cluster). */
  request: VmSpecInput;
  target: RunTarget;
  logger: Logger;
  logLevel: string;
  /** --profile-dsm: where the profile goes and what names its pages (undefined: not asked for). */
  profile?: ProfileOutput;
}

type Finish = (s: ClusterStats, summary: string, code: number, reason: string) => Promise<number>;

export async function runVm(ctx: RunContext, o: ClusterRunOptions): Promise<number> {
  const spread = ctx.target.kind !== 'local';
  const finish: Finish = async (stats, summary, exitCode, reason) => {
    if (reason && stats.outcome === 'stopped') process.stderr.write(`unum: ${reason}\n`);
    if (spread) process.stderr.write(`${summary}\n`); // one node in this process prints only what the guest printed
    if (o.stats) await writeFile(o.stats, `${JSON.stringify(stats, null, 2)}\n`);
    if (ctx.profile) process.stderr.write(await writeDsmProfile(stats, ctx.profile));
    return exitCode;
  };
  try {
    if (ctx.target.kind === 'cluster') {
      return await runOnStandingCluster(ctx.target.address, o.tokenFile, ctx.boot, ctx.request, finish, ctx.target.detach);
    }
    return await runHere(ctx, o, finish);
  } catch (e) {
    if (!(e instanceof ClusterRunError)) throw e;
    process.stderr.write(`unum: ${e.message}\n`);
    return 1;
  }
}

/** What each node offers and its swap: --node-mem (default: all of --mem, up to what one node can hold). */
function nodeShape(ctx: RunContext, o: ClusterRunOptions, nodes: number): { nodeMem: number; memory?: NodeMemoryConfig; linkLatencyNs: number } {
  // One node's frame pool lives in a 4 GiB wasm memory: a bigger guest needs several nodes (or swap).
  const maxNodeMem = MAX_NODE_FRAMES * PAGE_SIZE;
  const memBytes = ctx.spec.memBytes;
  const nodeMem = o.nodeMem ? parseSize(o.nodeMem, '--node-mem') : Math.min(memBytes, maxNodeMem);
  if (nodeMem > maxNodeMem) throw new UsageError(`--node-mem ${nodeMem / 2 ** 20} MiB is more than one node can hold (${Math.floor(maxNodeMem / 2 ** 20)} MiB)`);
  if (!o.nodeMem && memBytes > nodes * maxNodeMem) {
    throw new UsageError(`--mem ${memBytes / 2 ** 20} MiB exceeds one node's ${Math.floor(maxNodeMem / 2 ** 20)} MiB${nodes > 1 ? ` times ${nodes} nodes` : ''}: add --nodes, or give --node-mem to swap`);
  }
  // Capped nodes swap by default: enough for the whole guest, so --mem may exceed the nodes' memory.
  const { memory, linkLatencyNs } = memoryFlagsOf(o, nodeMem * nodes < memBytes || nodeMem < memBytes ? memBytes : 0);
  return { nodeMem, memory, linkLatencyNs };
}

/** Local or embedded: build the nodes, then the VM on them, and drive it. */
async function runHere(ctx: RunContext, o: ClusterRunOptions, finish: Finish): Promise<number> {
  const count = ctx.target.kind === 'embedded' ? ctx.target.nodes : 1;
  const shape = nodeShape(ctx, o, count);
  let stopReason: string | undefined;
  let vmStop: ((why: string) => void) | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    stopReason ??= `interrupted${ctx.target.kind === 'local' ? '' : ` (${sig})`}`;
    vmStop?.(stopReason);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let cluster: EmbeddedCluster | undefined;
  // The user quit (Ctrl-A x) or stdout went away: one local node says why; a cluster run counts it as an interrupt.
  const quit = (why: string): void => {
    if (ctx.target.kind !== 'local') return onSignal('SIGINT');
    stopReason ??= why;
    vmStop?.(why);
  };
  const stdio = new StdioConsole(process.stdin, process.stdout, quit);
  const tee = o.dashboard !== undefined ? new ConsoleTee(stdio) : undefined;
  const console = tee ?? stdio;
  let dashboard: DashboardServer | undefined;
  try {
    let nodes: NodeLink[];
    if (ctx.target.kind === 'embedded') {
      cluster = await EmbeddedCluster.start({
        agentBin: UNUM_BIN, nodes: count, logger: ctx.logger, logLevel: ctx.logLevel, heartbeatTimeoutMs: ctx.target.heartbeatTimeoutMs,
        agent: { nodeMemBytes: shape.nodeMem, cores: Math.ceil(ctx.spec.vcpus / count), memory: shape.memory, linkLatencyNs: shape.linkLatencyNs },
      }).catch((e: unknown) => { throw ClusterRunError.wrap(e); });
      nodes = cluster.members;
    } else {
      nodes = [new LocalNode({ offer: { memBytes: shape.nodeMem, cores: ctx.spec.vcpus, swapBytes: shape.memory?.swapBytes ?? 0 }, memory: shape.memory, logger: ctx.logger })];
    }
    if (stopReason) throw new ClusterRunError(stopReason);
    const vm = await (cluster
      ? cluster.coordinator.createVm({ spec: ctx.spec, boot: ctx.boot, members: nodes, console })
      : Vm.create({ id: randomUUID().slice(0, 8), spec: ctx.spec, nodes, boot: ctx.boot, console, logger: ctx.logger }))
      .catch((e: unknown) => { throw ClusterRunError.wrap(e); });
    vmStop = (why) => vm.stop(why);
    if (tee) dashboard = await openRunDashboard(o.dashboard!, vm, tee, ctx.logger, o.tokenFile).catch((e: unknown) => { vm.stop('dashboard failed'); throw e; });
    if (stopReason) vm.stop(stopReason);
    else await vm.start().catch((e: unknown) => vm.stop(e instanceof Error ? e.message : String(e)));
    const result = await vm.done;
    await stdio.flush();
    if (!cluster) for (const n of nodes) n.dismiss();
    return await finish(result.stats, result.summary, result.exitCode, result.stats.reason);
  } finally {
    stdio.close();
    await dashboard?.close();
    await cluster?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
