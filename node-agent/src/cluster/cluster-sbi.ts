/**
 * The built-in SBI across nodes, on the cluster wire (docs/sbi.md). An IPI,
 * remote fence, hart_start or hart_get_status that names harts on other
 * nodes becomes one `sbiCall` up the control stream; the coordinator sends
 * each target node its share and answers with one `sbiReply` once all have
 * served it. Nothing polls another node's memory.
 *
 * - `ClusterSbiForwarder` is the sending side (the node's SbiForwarder for
 *   remote harts; console and reset stay on the device path). A fence,
 *   hart_start and hart_get_status wait for the reply. An IPI is posted: it
 *   resolves at once, and the node's DSM frames sent after it wait until it
 *   has been applied (it is a PostedWrites for WriteOrderedTransport), so a
 *   store the hart makes after the IPI never reaches another node first.
 * - `serveSbiCall` is the receiving side: apply a forwarded call to harts
 *   placed here with NodeAgent.sbiLocal.
 *
 * @example
 *   const sbi = new ClusterSbiForwarder(send);
 *   NodeAgent.create({ ..., sbiForwarder: sbi.over(deviceSbiForwarder(bus)) });
 *   // coordinator → node: sbiReply → sbi.reply(r);  sbiCall → serveSbiCall(agent.sbiLocal, c)
 */
import { SbiCall_FenceKind, SbiCall_Op, type AgentMessage, type SbiCall, type SbiReply } from '@unum/protos/cluster';
import type { Logger } from 'pino';
import type { SbiLocalHarts } from '../sbi/node-sbi.js';
import type { RemoteFence, RemoteFenceKind, SbiForwarder } from '../sbi/sbi-host.js';
import { agentMessage } from './wire.js';
import { PostedWriteLog } from './posted-write-log.js';

const KINDS: Record<RemoteFenceKind, SbiCall_FenceKind> = {
  'fence.i': SbiCall_FenceKind.FENCE_I, 'sfence.vma': SbiCall_FenceKind.SFENCE_VMA, 'sfence.vma.asid': SbiCall_FenceKind.SFENCE_VMA_ASID,
};
const KIND_OF = new Map([...Object.entries(KINDS)].map(([k, v]) => [v, k as RemoteFenceKind]));

type CallFields = Omit<Partial<SbiCall>, 'id'>;
interface Waiting { resolve: (value: bigint) => void; reject: (e: Error) => void }

/** Its posted IPIs are the writes DSM frames wait behind (PostedWriteLog). */
export class ClusterSbiForwarder extends PostedWriteLog {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private closedWhy: string | undefined;

  /** `logger`: where a posted IPI that failed is told (its hart has gone on; nothing else would see it). */
  constructor(private readonly send: (m: AgentMessage) => void, private readonly logger?: Logger) {
    super();
  }

  /** The node's forwarder: `device`'s console and reset, this for harts on other nodes. */
  over(device: SbiForwarder): SbiForwarder {
    return {
      ...device,
      sendIpi: (harts) => this.sendIpi(harts),
      remoteFence: (harts, fence) => this.remoteFence(harts, fence),
      hartStart: (hart, addr, opaque) => this.hartStart(hart, addr, opaque),
      hartStatus: (hart) => this.hartStatus(hart),
    };
  }

  /** Posted: resolves once the call is on the stream (see the file comment). */
  sendIpi(harts: readonly number[]): Promise<void> {
    const applied = this.post();
    this.call({ op: SbiCall_Op.IPI, harts: [...harts] }).then(applied, (e: unknown) => {
      this.logger?.warn({ err: e, harts }, 'SBI IPI to harts on other nodes failed');
      applied();
    });
    return Promise.resolve();
  }

  async remoteFence(harts: readonly number[], fence: RemoteFence): Promise<void> {
    await this.call({ op: SbiCall_Op.FENCE, harts: [...harts], fence: KINDS[fence.kind], start: fence.start, size: fence.size, asid: fence.asid });
  }

  async hartStart(hart: number, addr: bigint, opaque: bigint): Promise<number> {
    return Number(await this.call({ op: SbiCall_Op.HART_START, harts: [hart], addr, opaque }));
  }

  async hartStatus(hart: number): Promise<number> {
    return Number(await this.call({ op: SbiCall_Op.HART_STATUS, harts: [hart] }));
  }

  private call(fields: CallFields): Promise<bigint> {
    if (this.closedWhy !== undefined) return Promise.reject(new Error(this.closedWhy));
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fff_ffff ? 1 : this.nextId + 1;
    return new Promise<bigint>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send(agentMessage('sbiCall', { ...fields, id }));
    });
  }

  /** The coordinator's answer: every target node has served call `r.id`. */
  reply(r: SbiReply): void {
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    if (r.error) w.reject(new Error(r.error));
    else w.resolve(r.value);
  }

  /** No more answers will come: fail what waits (the guest's calls get SBI_ERR_FAILED; posted IPIs count as applied). */
  close(why: string): void {
    this.closedWhy = why;
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of all) w.reject(new Error(why));
  }
}

/** Apply a call another node made to harts placed here; the reply's value (throws if it cannot be served). */
export async function serveSbiCall(local: SbiLocalHarts | undefined, c: SbiCall): Promise<bigint> {
  if (!local) throw new Error('the built-in SBI is off on this node');
  const stray = c.harts.find((h) => !local.has(h));
  if (stray !== undefined) throw new Error(`SBI call for hart ${stray}, which is not on this node`);
  switch (c.op) {
    case SbiCall_Op.IPI:
      local.sendIpi(c.harts);
      return 0n;
    case SbiCall_Op.FENCE: {
      const kind = KIND_OF.get(c.fence);
      if (!kind) throw new Error(`unknown fence kind ${c.fence}`);
      await local.remoteFence(c.harts, { kind, start: c.start, size: c.size, asid: c.asid });
      return 0n;
    }
    case SbiCall_Op.HART_START: return BigInt(local.hartStart(one(c), c.addr, c.opaque));
    case SbiCall_Op.HART_STATUS: return BigInt(local.hartStatus(one(c)));
    default: throw new Error(`unknown SBI call op ${c.op}`);
  }
}

function one(c: SbiCall): number {
  if (c.harts.length !== 1) throw new Error(`${SbiCall_Op[c.op]} names ${c.harts.length} harts, not one`);
  return c.harts[0]!;
}
