/**
 * NodeLink: one node of a VM as the coordinator sees it, whatever carries its
 * messages: what it offers (memory, cores, swap), request/ack bookkeeping,
 * and the one-time `lost` event. RemoteNode carries messages over an agent's
 * gRPC Join stream; LocalNode hands them to an AgentSession in this process.
 * The VM builder and the running Vm only ever see NodeLinks, so a one-node VM
 * and an N-node VM are built the same way (Firecracker's builder.rs).
 */
import type { Ack, AgentMessage, CoordinatorMessage } from '@unum/protos/cluster';
import { MachineError } from '../machine-error.js';

const REQUEST_TIMEOUT_MS = 30_000;

export interface NodeOffer {
  /** Frame-pool bytes this node offers. */
  memBytes: number;
  cores: number;
  /** Swap behind the frames (guest RAM may exceed memory by this much). */
  swapBytes: number;
}

export interface NodeEvents {
  message(m: AgentMessage): void;
  lost(why: string): void;
}

export abstract class NodeLink {
  /** The VM this node is part of (undefined: idle). */
  vmId: string | undefined;
  lostReason: string | undefined;
  /** Last time anything arrived from the node (performance.now() ms). */
  lastHeard = performance.now();
  private seq = 0;
  private readonly acks = new Map<number, { resolve: (a: Ack) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly handlers = new Set<NodeEvents>();

  protected constructor(readonly name: string, readonly offer: NodeOffer) {}

  /** Hand one message to the node (the transport). */
  protected abstract deliver(m: CoordinatorMessage): void;
  /** Close the transport; the node ends its share of any VM when it sees that. */
  protected abstract hangUp(): void;

  on(h: NodeEvents): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  send(m: CoordinatorMessage): void {
    if (!this.lostReason) this.deliver(m);
  }

  /** Send a control message carrying a fresh `seq` and wait for the node's ack. */
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
      if (ack.error && ack.badInput) throw new MachineError('bad-config', `node ${this.name}: ${ack.error}`);
      if (ack.error) throw new Error(`node ${this.name}: ${what} failed: ${ack.error}`);
      return ack;
    });
  }

  /** One message from the node: acks settle requests, heartbeats only prove it alive, the rest go to listeners. */
  receive(m: AgentMessage): void {
    this.lastHeard = performance.now(); // any traffic proves it is alive
    const kind = m.kind;
    if (!kind || kind.$case === 'heartbeat') return;
    if (kind.$case === 'ack') {
      const w = this.acks.get(kind.value.seq);
      if (w) {
        clearTimeout(w.timer);
        this.acks.delete(kind.value.seq);
        w.resolve(kind.value);
      }
      return;
    }
    for (const h of this.handlers) h.message(m);
  }

  /** The node is gone (exactly once): fail what waits on it and tell the listeners. */
  lose(why: string): void {
    if (this.lostReason) return;
    this.lostReason = why;
    for (const w of this.acks.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(`node ${this.name} lost: ${why}`));
    }
    this.acks.clear();
    for (const h of this.handlers) h.lost(why);
    this.hangUp();
  }

  /** Normal end: hang up (a remote agent exits when it sees the end). */
  dismiss(): void {
    this.lostReason ??= 'dismissed';
    this.hangUp();
  }
}
