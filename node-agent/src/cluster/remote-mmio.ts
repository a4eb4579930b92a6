/**
 * The MmioBus of a cluster node: every device lives on the coordinator, so
 * an access goes up the agent's control stream. Reads wait for the reply
 * (one network round trip); writes are posted (id 0, no reply), which keeps
 * the guest's order because the stream is FIFO and the coordinator applies
 * accesses in arrival order (a later read cannot overtake an earlier write).
 */
import type { MmioBus } from '@unum/machine';
import { toBig, type AgentMessage, type MmioReply } from './messages.js';

export class RemoteMmioBus implements MmioBus {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: bigint) => void; reject: (e: Error) => void }>();
  reads = 0;
  writes = 0;

  constructor(private readonly send: (m: AgentMessage) => void) {}

  read(gpa: number, size: number): Promise<bigint> {
    this.reads++;
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fff_ffff ? 1 : this.nextId + 1;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ mmio: { id, gpa, size, write: false, value: 0 } });
    });
  }

  async write(gpa: number, size: number, value: bigint): Promise<void> {
    this.writes++;
    this.send({ mmio: { id: 0, gpa, size, write: true, value: BigInt.asUintN(64, value).toString() } });
  }

  reply(r: MmioReply): void {
    const w = this.waiting.get(r.id);
    if (!w) return; // a reply to a read we gave up on
    this.waiting.delete(r.id);
    w.resolve(toBig(r.value));
  }

  /** The coordinator is gone: fail every read still waiting. */
  close(why: string): void {
    for (const w of this.waiting.values()) w.reject(new Error(why));
    this.waiting.clear();
  }
}
