import { SbiCall_FenceKind, SbiCall_Op, type AgentMessage, type SbiCall } from '@unum/protos/cluster';
import { describe, expect, it } from 'vitest';
import type { SbiLocalHarts } from '../sbi/node-sbi.js';
import type { RemoteFence, SbiForwarder } from '../sbi/sbi-host.js';
import { ClusterSbiForwarder, serveSbiCall } from './cluster-sbi.js';

function forwarder() {
  const sent: SbiCall[] = [];
  const f = new ClusterSbiForwarder((m: AgentMessage) => { if (m.kind?.$case === 'sbiCall') sent.push(m.kind.value); });
  return { f, sent };
}

describe('ClusterSbiForwarder', () => {
  it('posts an IPI (resolves at once) and counts it unapplied until the reply', async () => {
    const { f, sent } = forwarder();
    let released = 0;
    f.onApplied(() => released++);
    await f.sendIpi([2, 3]);
    expect(sent).toMatchObject([{ op: SbiCall_Op.IPI, harts: [2, 3] }]);
    const mark = f.sent;
    expect(f.appliedThrough(mark)).toBe(false);
    expect(f.appliedThrough(0)).toBe(true);
    f.reply({ id: sent[0]!.id, value: 0n, error: '' });
    await Promise.resolve();
    expect(f.appliedThrough(mark)).toBe(true);
    expect(released).toBe(1);
  });

  it('a fence, hart_start and hart_get_status wait for the reply', async () => {
    const { f, sent } = forwarder();
    let done = false;
    const fence = f.remoteFence([1], { kind: 'sfence.vma.asid', start: 0x1000n, size: 0x2000n, asid: 5n }).then(() => { done = true; });
    const start = f.hartStart(1, 0x8000_0000n, 0x5eedn);
    const status = f.hartStatus(1);
    await Promise.resolve();
    expect(done).toBe(false);
    expect(sent).toMatchObject([
      { op: SbiCall_Op.FENCE, harts: [1], fence: SbiCall_FenceKind.SFENCE_VMA_ASID, start: 0x1000n, size: 0x2000n, asid: 5n },
      { op: SbiCall_Op.HART_START, harts: [1], addr: 0x8000_0000n, opaque: 0x5eedn },
      { op: SbiCall_Op.HART_STATUS, harts: [1] },
    ]);
    f.reply({ id: sent[0]!.id, value: 0n, error: '' });
    f.reply({ id: sent[1]!.id, value: -6n, error: '' });
    f.reply({ id: sent[2]!.id, value: 1n, error: '' });
    await fence;
    expect(await start).toBe(-6);
    expect(await status).toBe(1);
  });

  it('a reply with an error rejects; close fails what waits and what comes after', async () => {
    const { f, sent } = forwarder();
    const status = f.hartStatus(1);
    f.reply({ id: sent[0]!.id, value: 0n, error: 'no VM' });
    await expect(status).rejects.toThrow('no VM');
    const fence = f.remoteFence([1], { kind: 'fence.i', start: 0n, size: 0n, asid: 0n });
    f.close('VM torn down');
    await expect(fence).rejects.toThrow('VM torn down');
    await expect(f.hartStart(1, 0n, 0n)).rejects.toThrow('VM torn down');
  });

  it('over() keeps the device forwarder\'s console and reset', () => {
    const { f } = forwarder();
    const consoleWrite = async (): Promise<void> => {};
    const device = { consoleWrite } as unknown as SbiForwarder;
    expect(f.over(device).consoleWrite).toBe(consoleWrite);
  });
});

describe('serveSbiCall', () => {
  const calls: string[] = [];
  const local: SbiLocalHarts = {
    has: (h) => h === 1,
    sendIpi: (hs) => { calls.push(`ipi ${hs.join()}`); },
    remoteFence: async (hs, f: RemoteFence) => { calls.push(`fence ${hs.join()} ${f.kind} ${f.asid}`); },
    hartStart: (h, a, o) => { calls.push(`start ${h} ${a} ${o}`); return 0; },
    hartStatus: () => 4,
  };
  const c = (x: Partial<SbiCall>): SbiCall => ({ id: 1, op: SbiCall_Op.IPI, harts: [1], fence: 0, start: 0n, size: 0n, asid: 0n, addr: 0n, opaque: 0n, ...x });

  it('applies each op to the local harts', async () => {
    expect(await serveSbiCall(local, c({}))).toBe(0n);
    expect(await serveSbiCall(local, c({ op: SbiCall_Op.FENCE, fence: SbiCall_FenceKind.SFENCE_VMA_ASID, asid: 3n }))).toBe(0n);
    expect(await serveSbiCall(local, c({ op: SbiCall_Op.HART_START, addr: 0x8000_0000n, opaque: 9n }))).toBe(0n);
    expect(await serveSbiCall(local, c({ op: SbiCall_Op.HART_STATUS }))).toBe(4n);
    expect(calls).toEqual(['ipi 1', 'fence 1 sfence.vma.asid 3', `start 1 ${0x8000_0000} 9`]);
  });

  it('refuses harts not placed here and a node without the built-in SBI', async () => {
    await expect(serveSbiCall(local, c({ harts: [2] }))).rejects.toThrow('hart 2, which is not on this node');
    await expect(serveSbiCall(undefined, c({}))).rejects.toThrow('built-in SBI is off');
  });
});
