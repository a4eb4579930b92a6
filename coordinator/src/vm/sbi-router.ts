/**
 * SbiRouter: the coordinator's part of the built-in SBI across nodes
 * (docs/sbi.md). A node's `sbiCall` names harts on other nodes; the router
 * sends each target node its share of the harts (under an id of its own)
 * and answers the caller with one `sbiReply` once every target node has
 * answered: an IPI once each has raised SSIP, a fence once each has flushed,
 * hart_start/hart_get_status with the value from the hart's own node (HSM
 * state lives there). A target node that is lost fails the call (the
 * guest's call gets SBI_ERR_FAILED; the VM is stopping anyway).
 *
 * @example
 *   const sbi = new SbiRouter((hart) => nodes[vm.hartNode[hart]]);   // the live map: harts migrate
 *   handlers: { sbiCall: (c) => sbi.call(from, c), sbiReply: (r) => sbi.reply(r) }
 */
import { coordinatorMessage } from '@unum/node-agent';
import type { SbiCall, SbiReply } from '@unum/protos/cluster';
import type { NodeLink } from '../nodes/node-link.js';

interface Call {
  from: NodeLink;
  id: number;
  /** Target nodes not yet answered. */
  left: number;
  value: bigint;
  error: string;
}

export class SbiRouter {
  private seq = 0;
  /** Our id of each target node's share → the call and the node it went to. */
  private readonly waiting = new Map<number, { call: Call; to: NodeLink }>();
  /** Calls routed so far, and target-node messages sent for them (stats, tests). */
  calls = 0;
  fanout = 0;

  /** `nodeOf(hart)`: the node hart runs on (undefined: no such hart). */
  constructor(private readonly nodeOf: (hart: number) => NodeLink | undefined) {}

  call(from: NodeLink, c: SbiCall): void {
    this.calls++;
    const byNode = new Map<NodeLink, number[]>();
    for (const h of c.harts) {
      const n = this.nodeOf(h);
      if (!n) return from.send(coordinatorMessage('sbiReply', { id: c.id, error: `SBI call names hart ${h}, which the VM does not have` }));
      // n === from: the hart migrated to the caller's node after the call left it; that node serves its share like any other
      byNode.set(n, [...(byNode.get(n) ?? []), h]);
    }
    if (byNode.size === 0) return from.send(coordinatorMessage('sbiReply', { id: c.id, value: 0n }));
    const call: Call = { from, id: c.id, left: byNode.size, value: 0n, error: '' };
    for (const [to, harts] of byNode) {
      this.seq = this.seq >= 0x7fff_ffff ? 1 : this.seq + 1;
      this.waiting.set(this.seq, { call, to });
      this.fanout++;
      to.send(coordinatorMessage('sbiCall', { ...c, id: this.seq, harts }));
    }
  }

  /** A target node served its share. */
  reply(r: SbiReply): void {
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    this.settle(w.call, r.value, r.error);
  }

  /** `node` is gone: fail every share it had not answered. */
  lost(node: NodeLink, why: string): void {
    for (const [id, w] of this.waiting) {
      if (w.to !== node) continue;
      this.waiting.delete(id);
      this.settle(w.call, 0n, `node ${node.name} lost: ${why}`);
    }
  }

  private settle(call: Call, value: bigint, error: string): void {
    if (error && !call.error) call.error = error;
    call.value = value; // one target for HART_START / HART_STATUS; 0 from every node otherwise
    if (--call.left > 0) return;
    call.from.send(coordinatorMessage('sbiReply', call.error ? { id: call.id, error: call.error } : { id: call.id, value: call.value }));
  }
}
