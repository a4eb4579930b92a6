import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfig } from './dsm-agent.js';

type Reply = { seq: number; result?: unknown; error?: string };

/** One forked agent process and its request/response channel. */
class Agent {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  port = 0;

  constructor(readonly id: number, readonly proc: ChildProcess, readonly started: Promise<void>) {}

  handle(r: Reply): void {
    const w = this.waiting.get(r.seq);
    this.waiting.delete(r.seq);
    if (r.error !== undefined) w?.reject(new Error(`agent ${this.id}: ${r.error}`));
    else w?.resolve(r.result);
  }

  failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  call<T>(cmd: string, args: unknown = {}): Promise<T> {
    const seq = this.seq++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ seq, cmd, args });
    });
  }
}

/**
 * N DSM agent processes on 127.0.0.1 wired to each other over gRPC. Always
 * `close()` it (agents also exit when this process goes away).
 *
 * @example
 *   const c = await AgentCluster.start({ nodes: 3, protocol: 'ivy-dynamic' });
 *   await c.agents[1].call('read', { units: [5] });
 *   await c.close();
 */
export class AgentCluster {
  private constructor(readonly agents: Agent[]) {}

  static async start(o: { nodes: number; protocol: string; unitBytes?: number; units?: number; placement?: AgentConfig['placement']; secret?: string; knobs?: AgentConfig['knobs']; lanes?: boolean }): Promise<AgentCluster> {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'dsm-agent.js');
    const secret = o.secret ?? randomBytes(16).toString('hex');
    const agents: Agent[] = [];
    for (let id = 0; id < o.nodes; id++) {
      const cfg: AgentConfig = {
        id, nodes: o.nodes, protocol: o.protocol, unitBytes: o.unitBytes ?? 4096, units: o.units ?? 4096,
        placement: o.placement ?? 'node0', secret, knobs: o.knobs, lanes: o.lanes,
      };
      const proc = fork(script, [JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let agent!: Agent;
      const started = new Promise<void>((resolve, reject) => {
        proc.on('message', (r: Reply) => {
          if (r.seq === -1) {
            agent.port = (r.result as { port: number }).port;
            resolve();
          } else agent.handle(r);
        });
        proc.on('exit', (code) => {
          const err = new Error(`agent ${id} exited (${code})`);
          reject(err);
          agent.failAll(err);
        });
      });
      agent = new Agent(id, proc, started);
      agents.push(agent);
    }
    const cluster = new AgentCluster(agents);
    try {
      await Promise.all(agents.map((a) => a.started));
      const peers = Object.fromEntries(agents.map((a) => [a.id, `127.0.0.1:${a.port}`]));
      await Promise.all(agents.map((a) => a.call('peers', { peers })));
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  async close(): Promise<void> {
    await Promise.all(this.agents.map((a) => new Promise<void>((resolve) => {
      if (a.proc.exitCode !== null || a.proc.signalCode !== null) return resolve();
      const kill = setTimeout(() => a.proc.kill('SIGKILL'), 3000);
      a.proc.once('exit', () => { clearTimeout(kill); resolve(); });
      a.proc.disconnect();
    })));
  }
}
