import { SbiCall_Op, type CoordinatorMessage, type SbiCall } from '@unum/protos/cluster';
import { describe, expect, it } from 'vitest';
import { NodeLink } from '../nodes/node-link.js';
import { SbiRouter } from './sbi-router.js';

class FakeNode extends NodeLink {
  readonly sent: CoordinatorMessage[] = [];
  constructor(name: string) {
    super(name, { memBytes: 1 << 20, cores: 1, swapBytes: 0 });
  }
  protected deliver(m: CoordinatorMessage): void {
    this.sent.push(m);
  }
  protected hangUp(): void {}
  take(): CoordinatorMessage['kind'][] {
    return this.sent.splice(0).map((m) => m.kind);
  }
}

const call = (c: Partial<SbiCall>): SbiCall => ({
  id: 7, op: SbiCall_Op.IPI, harts: [], fence: 0, start: 0n, size: 0n, asid: 0n, addr: 0n, opaque: 0n, ...c,
});

/** Harts 0,1 on node 0; 2,3 on node 1; 4 on node 2. */
function setup() {
  const nodes = [new FakeNode('n0'), new FakeNode('n1'), new FakeNode('n2')];
  const hartNode = [0, 0, 1, 1, 2];
  const router = new SbiRouter((h) => nodes[hartNode[h]!]);
  return { nodes, router };
}

describe('SbiRouter', () => {
  it('fans a call out, one share per target node, and answers once all have', () => {
    const { nodes: [n0, n1, n2], router } = setup();
    router.call(n0!, call({ op: SbiCall_Op.FENCE, harts: [2, 4, 3] }));
    const [to1] = n1!.take();
    const [to2] = n2!.take();
    expect(to1).toMatchObject({ $case: 'sbiCall', value: { op: SbiCall_Op.FENCE, harts: [2, 3] } });
    expect(to2).toMatchObject({ $case: 'sbiCall', value: { harts: [4] } });
    if (to1?.$case !== 'sbiCall' || to2?.$case !== 'sbiCall') throw new Error('no calls');
    router.reply({ id: to2.value.id, value: 0n, error: '' });
    expect(n0!.take()).toEqual([]); // node 1 has not flushed yet
    router.reply({ id: to1.value.id, value: 0n, error: '' });
    expect(n0!.take()).toEqual([{ $case: 'sbiReply', value: { id: 7, value: 0n, error: '' } }]);
    expect(router.fanout).toBe(2);
  });

  it('hart_get_status answers with the value from the hart\'s node', () => {
    const { nodes: [n0, n1], router } = setup();
    router.call(n0!, call({ id: 9, op: SbiCall_Op.HART_STATUS, harts: [3] }));
    const [to1] = n1!.take();
    if (to1?.$case !== 'sbiCall') throw new Error('no call');
    router.reply({ id: to1.value.id, value: 1n, error: '' });
    expect(n0!.take()).toEqual([{ $case: 'sbiReply', value: { id: 9, value: 1n, error: '' } }]);
  });

  it('an error from one node fails the whole call; a lost node fails its share', () => {
    const { nodes: [n0, n1, n2], router } = setup();
    router.call(n0!, call({ harts: [2, 4] }));
    const [to1] = n1!.take();
    n2!.take();
    if (to1?.$case !== 'sbiCall') throw new Error('no call');
    router.reply({ id: to1.value.id, value: 0n, error: 'no VM' });
    router.lost(n2!, 'stream ended');
    expect(n0!.take()).toEqual([{ $case: 'sbiReply', value: { id: 7, value: 0n, error: 'no VM' } }]);
  });

  it('refuses harts the VM does not have', () => {
    const { nodes: [n0, n1], router } = setup();
    router.call(n0!, call({ harts: [9] }));
    const replies = n0!.take();
    expect(replies.map((k) => k?.$case === 'sbiReply' && k.value.error)).toEqual(['SBI call names hart 9, which the VM does not have']);
    expect(n1!.take()).toEqual([]);
  });

  it('a hart that migrated to the caller\'s node after the call left it: that node gets the share', () => {
    const { nodes: [n0, n1], router } = setup();
    router.call(n0!, call({ id: 8, harts: [1] })); // hart 1 is on n0 in this setup
    const [share] = n0!.take();
    if (share?.$case !== 'sbiCall') throw new Error('no share for the caller\'s node');
    expect(share.value.harts).toEqual([1]);
    router.reply({ id: share.value.id, value: 0n, error: '' });
    expect(n0!.take()).toEqual([{ $case: 'sbiReply', value: { id: 8, value: 0n, error: '' } }]);
    expect(n1!.take()).toEqual([]);
  });
});
