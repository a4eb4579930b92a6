/**
 * A joined agent as the coordinator sees it: its offer (memory, cores,
 * advertised address), its control stream, heartbeats, and request/ack
 * bookkeeping. The stream closing, failing, or going quiet for
 * HEARTBEAT_TIMEOUT_MS makes the member `lost` (exactly once).
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { toNum, type Ack, type AgentMessage, type CoordinatorMessage, type Hello } from '@unum/node-agent';

export const HEARTBEAT_TIMEOUT_MS = 1200;
const REQUEST_TIMEOUT_MS = 30_000;

export type MemberStream = ServerDuplexStream<AgentMessage, CoordinatorMessage>;

export interface MemberEvents {
  message(m: AgentMessage): void;
  lost(why: string): void;
}

export class Member {
  lastHeartbeat = performance.now();
  vmId: string | undefined;
  lostReason: string | undefined;
  private seq = 0;
  private readonly acks = new Map<number, { resolve: (a: Ack) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly handlers = new Set<MemberEvents>();

  constructor(readonly id: number, readonly hello: Hello, private readonly stream: MemberStream) {}

  get name(): string {
    return this.hello.name;
  }
  get memBytes(): number {
    return toNum(this.hello.memBytes);
  }
  get cores(): number {
    return this.hello.cores;
  }
  get swapBytes(): number {
    return toNum(this.hello.swapBytes);
  }

  on(h: MemberEvents): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  send(m: CoordinatorMessage): void {
    if (!this.lostReason) this.stream.write(m);
  }

  /** Send a control message carrying a fresh `seq` and wait for the agent's ack. */
  request(make: (seq: number) => CoordinatorMessage, what: string): Promise<Ack> {
    if (this.lostReason) return Promise.reject(new Error(`node ${this.name} lost: ${this.lostReason}`));
    const seq = ++this.seq;
    return new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(seq);
        reject(new Error(`node ${this.name}: no answer to ${what} within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.acks.set(seq, { resolve, reject, timer });
      this.send(make(seq));
    }).then((ack) => {
      if (ack.error) throw new Error(`node ${this.name}: ${what} failed: ${ack.error}`);
      return ack;
    });
  }

  /** Feed one message from the agent's stream. */
  receive(m: AgentMessage): void {
    if (m.kind === 'heartbeat') {
      this.lastHeartbeat = performance.now();
      return;
    }
    this.lastHeartbeat = performance.now(); // any traffic proves it is alive
    if (m.kind === 'ack') {
      const w = this.acks.get(m.ack.seq);
      if (w) {
        clearTimeout(w.timer);
        this.acks.delete(m.ack.seq);
        w.resolve(m.ack);
      }
      return;
    }
    for (const h of this.handlers) h.message(m);
  }

  /** Called by the watchdog: true if the member just went quiet for too long. */
  checkHeartbeat(now: number): boolean {
    if (this.lostReason || now - this.lastHeartbeat <= HEARTBEAT_TIMEOUT_MS) return false;
    this.lose(`no heartbeat for ${Math.round(now - this.lastHeartbeat)} ms`);
    return true;
  }

  lose(why: string): void {
    if (this.lostReason) return;
    this.lostReason = why;
    for (const w of this.acks.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(`node ${this.name} lost: ${why}`));
    }
    this.acks.clear();
    for (const h of this.handlers) h.lost(why);
    try {
      this.stream.end();
    } catch {
      // the stream is already gone
    }
  }

  /** Normal end: close the stream (the agent exits when it sees the end). */
  dismiss(): void {
    this.lostReason ??= 'dismissed';
    try {
      this.stream.end();
    } catch {
      // already closed
    }
  }
}
