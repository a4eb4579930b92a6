/**
 * The cluster `unum run --nodes N` builds for itself: the coordinator in
 * this process on 127.0.0.1 (ephemeral port) and N `unum agent` processes,
 * each in its own process group (a terminal's Ctrl-C reaches only us; we
 * tear them down) with an IPC channel (an agent exits when we die, however
 * we die) and a fresh random cluster secret in its environment.
 *
 * @example
 *   const cluster = await EmbeddedCluster.start({ agentBin: UNUM_BIN, nodes: 2, logger, logLevel: 'warn',
 *     agent: { nodeMemBytes: 128 << 20, cores: 1, linkLatencyNs: 0 } });
 *   const vm = await cluster.coordinator.createVm({ ... });
 *   await cluster.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { newClusterToken, type AgentSpec, type AgentSpecMessage } from '@unum/node-agent';
import type { Logger } from 'pino';
import { CoordinatorServer } from './coordinator-server.js';
import type { RemoteNode } from '../nodes/remote-node.js';

export interface EmbeddedOptions {
  /** The `unum` command the agents run (cli/bin/unum.js): the CLI sits above the coordinator, so it says where it is. */
  agentBin: string;
  nodes: number;
  /** What every agent is, less its name and addresses (filled in here). */
  agent: Omit<AgentSpec, 'join' | 'listen' | 'advertise' | 'name'>;
  logger: Logger;
  logLevel: string;
  /** The coordinator's heartbeat timeout (`--heartbeat-timeout`; default 2000 ms). */
  heartbeatTimeoutMs?: number;
}

const JOIN_TIMEOUT_MS = 30_000;
/** A small young generation: a swapping agent churns short-lived buffers, and V8's default (up to 48 MiB) would show as resident memory above the node's cap. */
const AGENT_NODE_FLAGS = ['--max-semi-space-size=2'];
const EXIT_GRACE_MS = 3000;

export class EmbeddedCluster {
  /** Resolves with a one-line reason when an agent process exits on its own. */
  readonly agentExited: Promise<string>;
  private exitedUnexpectedly!: (why: string) => void;
  private closing = false;

  private constructor(readonly coordinator: CoordinatorServer, readonly children: ChildProcess[], readonly members: RemoteNode[] = []) {
    this.agentExited = new Promise((r) => { this.exitedUnexpectedly = r; });
  }

  static async start(o: EmbeddedOptions): Promise<EmbeddedCluster> {
    const token = newClusterToken();
    const coordinator = await CoordinatorServer.start({ listen: '127.0.0.1:0', token, logger: o.logger, heartbeatTimeoutMs: o.heartbeatTimeoutMs });
    const cluster = new EmbeddedCluster(coordinator, []);
    for (let i = 0; i < o.nodes; i++) {
      // The agent's spec travels typed over the IPC channel (`unum agent --spec-from-parent`), not as flags to parse
      // again; its --name is there too only so that `ps` tells the agents apart.
      const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, o.agentBin, 'agent', '--spec-from-parent', '--name', `node${i}`, '--log-level', o.logLevel],
        { env: { ...process.env, UNUM_TOKEN: token }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], detached: true });
      const spec: AgentSpec = { ...o.agent, join: `127.0.0.1:${coordinator.port}`, listen: '127.0.0.1:0', name: `node${i}` };
      child.send({ kind: 'agent-spec', spec } satisfies AgentSpecMessage);
      child.on('exit', (code, signal) => {
        if (!cluster.closing) cluster.exitedUnexpectedly(`agent node${i} (pid ${child.pid}) exited (${signal ?? `status ${code}`})`);
      });
      child.on('error', (e) => cluster.exitedUnexpectedly(`agent node${i} could not start: ${e.message}`));
      cluster.children.push(child);
    }
    try {
      const members = await coordinator.waitForMembers(o.nodes, JOIN_TIMEOUT_MS, cluster.agentExited);
      // Join order is arbitrary: node i of the VM is the agent named node{i}.
      members.sort((a, b) => Number(a.name.slice(4)) - Number(b.name.slice(4)));
      cluster.members.push(...members);
    } catch (e) {
      await cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Stop the coordinator (agents see their stream end and exit), then make sure every agent is gone. */
  async close(): Promise<void> {
    this.closing = true;
    await this.coordinator.close().catch(() => undefined);
    await Promise.all(this.children.map((c) => reap(c)));
  }
}

/** Wait for a child to exit; SIGTERM after the grace period, SIGKILL after another. */
async function reap(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const after = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms));
  if ((await Promise.race([exited, after(EXIT_GRACE_MS)])) !== 'timeout') return;
  child.kill('SIGTERM');
  if ((await Promise.race([exited, after(EXIT_GRACE_MS)])) !== 'timeout') return;
  child.kill('SIGKILL');
  await exited;
}
