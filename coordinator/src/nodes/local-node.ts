/**
 * A node in this process: the same AgentSession a remote agent runs, fed by
 * direct calls instead of a gRPC stream. `unum run X.elf` without --nodes is
 * a VM on one LocalNode, built and driven exactly like an N-node VM (stats,
 * dashboard, lockstep), without spawning a process.
 */
import { randomBytes } from 'node:crypto';
import { AgentSession, type NodeMemoryConfig } from '@unum/node-agent';
import type { CoordinatorMessage } from '@unum/protos/cluster';
import type { Logger } from 'pino';
import { NodeLink, type NodeOffer } from './node-link.js';

export interface LocalNodeOptions {
  name?: string;
  offer: NodeOffer;
  logger: Logger;
  /** Swap behind the frames (--swap-size). */
  memory?: NodeMemoryConfig;
  /** Engine module for the vCPU workers (tests swap in a scripted one). */
  engineModule?: URL;
}

export class LocalNode extends NodeLink {
  readonly session: AgentSession;

  constructor(o: LocalNodeOptions) {
    super(o.name ?? 'node0', o.offer);
    // A one-node DSM links to nobody; its link server still wants a secret.
    this.session = new AgentSession({
      name: this.name, token: randomBytes(16).toString('hex'), dsmListenHost: '127.0.0.1', advertiseHost: '127.0.0.1',
      logger: o.logger, memory: o.memory, engineModule: o.engineModule,
    }, (m) => queueMicrotask(() => this.receive(m)));
  }

  /** Asynchronous and in order, like a stream: a handler never runs inside its sender. */
  protected deliver(m: CoordinatorMessage): void {
    queueMicrotask(() => this.session.receive(m));
  }

  protected hangUp(): void {
    void this.session.close('VM ended');
  }
}
