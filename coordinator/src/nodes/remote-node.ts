/**
 * A node agent in another process, joined over its gRPC Join stream (one
 * per agent for its whole membership). The stream closing or failing makes
 * it lost at once. Quiet is judged in two steps, so that a busy machine
 * (a late heartbeat, or this process itself starved) does not kill a healthy
 * VM: quiet for the heartbeat timeout T makes the node *suspect* and sends it
 * a Probe, which it answers at once; still quiet T/2 later, it is lost. A
 * SIGSTOPped agent is therefore named between 1.5·T and 1.5·T + two watchdog
 * periods after its last message (3–3.4 s at the default T = 2 s).
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { AgentMessage, CoordinatorMessage, Hello } from '@unum/protos/cluster';
import { NodeLink } from './node-link.js';

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 2000;

export type JoinStream = ServerDuplexStream<AgentMessage, CoordinatorMessage>;

export class RemoteNode extends NodeLink {
  /** When the node became suspect (performance.now() ms), 0 while it is not. */
  private suspectSince = 0;

  constructor(readonly id: number, readonly hello: Hello, private readonly stream: JoinStream, readonly heartbeatTimeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS) {
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

  get suspect(): boolean {
    return this.suspectSince > 0;
  }

  /** Called by the watchdog: quiet past the timeout → suspect and probe; still quiet after the probe window → lost (returns true). */
  checkHeartbeat(now: number): boolean {
    if (this.lostReason) return false;
    const quiet = now - this.lastHeard;
    if (quiet <= this.heartbeatTimeoutMs) {
      this.suspectSince = 0;
      return false;
    }
    if (!this.suspectSince || this.lastHeard > this.suspectSince) {
      this.suspectSince = now;
      this.send({ kind: { $case: 'probe', value: {} } });
      return false;
    }
    if (now - this.suspectSince <= this.heartbeatTimeoutMs / 2) return false;
    this.lose(`no heartbeat for ${Math.round(quiet)} ms, nor an answer to a probe within ${Math.round(now - this.suspectSince)} ms`);
    return true;
  }
}
