/**
 * A node agent in another process, joined over its gRPC Join stream (one
 * per agent for its whole membership). The stream closing or failing, or
 * the agent going quiet for HEARTBEAT_TIMEOUT_MS, makes it lost.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { AgentMessage, CoordinatorMessage, Hello } from '@unum/protos/cluster';
import { NodeLink } from './node-link.js';

export const HEARTBEAT_TIMEOUT_MS = 1200;

export type JoinStream = ServerDuplexStream<AgentMessage, CoordinatorMessage>;

export class RemoteNode extends NodeLink {
  constructor(readonly id: number, readonly hello: Hello, private readonly stream: JoinStream) {
    super(hello.name, { memBytes: Number(hello.memBytes), cores: hello.cores, swapBytes: Number(hello.swapBytes) });
  }

  protected deliver(m: CoordinatorMessage): void {
    this.stream.write(m);
  }

  protected hangUp(): void {
    try {
      this.stream.end();
    } catch {
      // the stream is already gone
    }
  }

  /** Called by the watchdog: true if the node just went quiet for too long. */
  checkHeartbeat(now: number): boolean {
    if (this.lostReason || now - this.lastHeard <= HEARTBEAT_TIMEOUT_MS) return false;
    this.lose(`no heartbeat for ${Math.round(now - this.lastHeard)} ms`);
    return true;
  }
}
