// A DSM frame sent after a posted MMIO write reaches the other node only once
// the coordinator has acknowledged the write (the t-ipi race: an IPI landing
// after the flag that follows it). RemoteMmioBus + WriteOrderedTransport over
// an in-memory network; the coordinator's acknowledgements are driven by hand.
import { MemoryNetwork, type DsmMessage } from '@unum/dsm';
import { describe, expect, it } from 'vitest';
import type { AgentMessage } from '@unum/protos/cluster';
import { RemoteMmioBus } from './remote-mmio.js';
import { WriteOrderedTransport } from './write-ordered-transport.js';

const MSIP_HART2 = 0x0200_0008;
const frame = (unit: number): DsmMessage => ({ type: 'request', unit, access: 'read', requester: 0, hops: 0 });

function setup() {
  const up: AgentMessage[] = [];
  const bus = new RemoteMmioBus((m) => up.push(m));
  const net = new MemoryNetwork();
  const node0 = new WriteOrderedTransport(net.transport(0), bus);
  const node1 = net.transport(1);
  const arrived: number[] = [];
  node1.onMessage((_from, m) => arrived.push((m as { unit: number }).unit));
  /** The coordinator applies the i-th write sent up (0-based) and acknowledges it. */
  const ack = (i: number): void => {
    const m = up.filter((x) => x.kind?.$case === 'mmio' && x.kind.value.write)[i]!;
    if (m.kind?.$case !== 'mmio') throw new Error('not an MMIO access');
    bus.reply({ id: m.kind.value.id, value: 0n, fault: false });
  };
  const delivered = (): Promise<void> => new Promise((r) => setImmediate(r));
  return { up, bus, node0, arrived, ack, delivered };
}

describe('WriteOrderedTransport: DSM frames wait for the posted MMIO writes before them', () => {
  it('passes frames straight through while no write is in flight', async () => {
    const t = setup();
    t.node0.send(1, frame(7));
    await t.delivered();
    expect(t.arrived).toEqual([7]);
    expect(t.node0.framesHeld).toBe(0);
  });

  it('holds a frame sent after a write until that write is acknowledged', async () => {
    const t = setup();
    await t.bus.write(MSIP_HART2, 4, 1n);            // hart 0: IPI to hart 2 (posted: returns at once)
    const sent = t.up[0]!;
    expect(sent.kind?.$case === 'mmio' ? sent.kind.value.id : 0, 'asks for an acknowledgement').not.toBe(0);
    t.node0.send(1, frame(1));                        // then the flag's page leaves for node 1
    await t.delivered();
    expect(t.arrived, 'the flag must not overtake the IPI').toEqual([]);
    t.ack(0);
    await t.delivered();
    expect(t.arrived).toEqual([1]);
    expect(t.node0.framesHeld).toBe(1);
  });

  it('keeps send order, and a frame waits only for the writes sent before it', async () => {
    const t = setup();
    await t.bus.write(MSIP_HART2, 4, 1n);
    t.node0.send(1, frame(1));
    await t.bus.write(MSIP_HART2, 4, 0n);
    t.node0.send(1, frame(2));
    t.ack(1);                                         // the later write first: frame 1 still waits for write 0
    await t.delivered();
    expect(t.arrived).toEqual([]);
    t.ack(0);
    await t.delivered();
    expect(t.arrived).toEqual([1, 2]);
  });

  it('a frame behind a held one waits its turn even with nothing of its own in flight', async () => {
    const t = setup();
    await t.bus.write(MSIP_HART2, 4, 1n);
    t.node0.send(1, frame(1));
    t.ack(0);
    t.node0.send(1, frame(2));
    await t.delivered();
    expect(t.arrived).toEqual([1, 2]);
  });

  it('the coordinator gone: held frames are let go (no write will be applied any more)', async () => {
    const t = setup();
    await t.bus.write(MSIP_HART2, 4, 1n);
    const read = t.bus.read(0x1000_0005, 1);
    t.node0.send(1, frame(3));
    t.bus.close('coordinator stream ended');
    await expect(read).rejects.toThrow('coordinator stream ended');
    await t.delivered();
    expect(t.arrived).toEqual([3]);
  });
});
