/**
 * The MmioBus of a cluster node: every device lives on the coordinator, so
 * an access goes up the agent's control stream. Reads wait for the reply
 * (one network round trip). Writes are posted: the hart goes on as soon as
 * the write is on the stream, which keeps the guest's order among its own
 * accesses (the stream is FIFO and the coordinator applies accesses in
 * arrival order, so a later read cannot overtake an earlier write). The
 * coordinator acknowledges each write once it is applied (a CLINT write to
 * another node's hart: once that node set the register); until then the
 * write is *unapplied*, and WriteOrderedTransport holds back the DSM frames
 * sent after it, so no other node can see memory this node wrote after the
 * write before the write itself has taken effect.
 */
import { NoDevice, type MmioBus, type MmioWindow } from '@unum/machine';
import type { AgentMessage, MmioReply } from '@unum/protos/cluster';
import { agentMessage } from './wire.js';
import { PostedWriteLog } from './posted-write-log.js';

interface Waiting { resolve: (v: bigint) => void; reject: (e: Error) => void; gpa: number }

export class RemoteMmioBus extends PostedWriteLog implements MmioBus {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  reads = 0;

  /** `posted`: the windows whose writes harts post (the board's, NodeAgentConfig.postedWrites); undefined: every write. */
  constructor(private readonly send: (m: AgentMessage) => void, private readonly posted?: readonly MmioWindow[]) {
    super();
  }

  /** MMIO writes sent so far. */
  get writes(): number {
    return this.sent;
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fff_ffff ? 1 : this.nextId + 1;
    return id;
  }

  read(gpa: number, size: number): Promise<bigint> {
    this.reads++;
    const id = this.takeId();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, gpa });
      this.send(agentMessage('mmio', { id, gpa: BigInt(gpa), size, write: false, value: 0n }));
    });
  }

  /**
   * Writes to a device that takes posted writes (UART, PLIC) return at once;
   * any other write waits for the coordinator, so a store where no device
   * is faults the hart (as a read there does).
   */
  write(gpa: number, size: number, value: bigint): Promise<void> {
    const applied = this.post();
    const id = this.takeId();
    const posted = this.posted?.some((w) => gpa >= w.base && gpa < w.base + w.size) ?? true;
    const done = new Promise<void>((resolve, reject) => {
      this.waiting.set(id, {
        resolve: () => { applied(); resolve(); },
        reject: (e) => { applied(); if (posted) resolve(); else reject(e); },
        gpa,
      });
    });
    this.send(agentMessage('mmio', { id, gpa: BigInt(gpa), size, write: true, value: BigInt.asUintN(64, value) }));
    return posted ? Promise.resolve() : done;
  }

  reply(r: MmioReply): void {
    const w = this.waiting.get(r.id);
    if (!w) return; // a reply to a read we gave up on
    this.waiting.delete(r.id);
    if (r.fault) w.reject(new NoDevice(w.gpa));
    else w.resolve(r.value);
  }

  /** The coordinator is gone: fail every read still waiting; writes count as applied (nothing will apply them). */
  close(why: string): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of all) w.reject(new Error(why));
  }
}
