import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../test-support/virtio-driver.js';
import type { NetPort } from './net-port.js';
import { macBytes, NET_HDR_BYTES, VirtioNet } from './virtio-net.js';
import { REG } from './virtio-regs.js';

/** A NetPort whose other end is this test: frames the device sent, and a way to push host frames. */
class Wire implements NetPort {
  sent: Uint8Array[] = [];
  paused = false;
  closed = false;
  private receive?: (f: Uint8Array) => void;
  send(frame: Uint8Array): void { this.sent.push(frame.slice()); }
  onFrame(receive: (f: Uint8Array) => void): void { this.receive = receive; }
  pause(): void { this.paused = true; }
  resume(): void { this.paused = false; }
  close(): void { this.closed = true; }
  fromHost(frame: Uint8Array): void { this.receive!(frame); }
}

const frame = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const RX = 0;
const TX = 1;

describe('virtio-net', () => {
  it('is device 1 with a MAC and link up in config space', () => {
    const d = new TestDriver(new VirtioNet(new Wire(), '02:00:00:aa:bb:cc'));
    expect(d.r(REG.deviceId)).toBe(1);
    const mac = [0, 1, 2, 3, 4, 5].map((i) => Number(d.transport.read(REG.config + i, 1)));
    expect(mac).toEqual([...macBytes('02:00:00:aa:bb:cc')]);
    expect(Number(d.transport.read(REG.config + 6, 2))).toBe(1);
    d.w(REG.deviceFeaturesSel, 0);
    expect(d.r(REG.deviceFeatures)).toBe((1 << 5) | (1 << 16));
  });

  it('sends what the guest transmits without the virtio header, header and frame in one buffer or split', async () => {
    const wire = new Wire();
    const d = new TestDriver(new VirtioNet(wire));
    const f = frame(60, 1);
    const one = new Uint8Array(NET_HDR_BYTES + 60);
    one.set(f, NET_HDR_BYTES);
    d.submit(TX, [{ addr: d.alloc(one.length, one), len: one.length }]);
    await d.settle(TX, 1);
    d.submit(TX, [{ addr: d.alloc(NET_HDR_BYTES), len: NET_HDR_BYTES }, { addr: d.alloc(60, f), len: 60 }]);
    await d.settle(TX, 2);
    expect(wire.sent).toEqual([f, f]);
    expect(d.used(TX)).toEqual({ idx: 2, id: 0, len: 0 });
  });

  it('holds host frames until the guest posts buffers, then writes header (num_buffers 1) and frame', async () => {
    const wire = new Wire();
    const net = new VirtioNet(wire);
    const d = new TestDriver(net);
    const f = frame(98, 3);
    wire.fromHost(f);
    await new Promise((r) => setTimeout(r, 5));
    expect(d.used(RX).idx).toBe(0);
    const buf = d.alloc(1526);
    d.submit(RX, [{ addr: buf, len: 1526, write: true }]);
    await d.settle(RX, 1);
    expect(d.used(RX)).toEqual({ idx: 1, id: 0, len: NET_HDR_BYTES + 98 });
    const got = d.bytes(buf, NET_HDR_BYTES + 98);
    expect([...got.subarray(0, NET_HDR_BYTES)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(got.subarray(NET_HDR_BYTES)).toEqual(f);
    expect(net.counters).toMatchObject({ rxFrames: 1, rxBytes: 98, rxDropped: 0 });
    expect(d.irq).toBe(true);
  });

  it('pauses the port while its backlog is full, drops beyond it, and resumes once the guest takes frames', async () => {
    const wire = new Wire();
    const net = new VirtioNet(wire);
    const d = new TestDriver(net);
    for (let i = 0; i < 70; i++) wire.fromHost(frame(60, i));
    expect(wire.paused).toBe(true);
    expect(net.counters.rxDropped).toBe(6);
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 12; i++) d.submit(RX, [{ addr: d.alloc(1526), len: 1526, write: true }], 0);
      await d.settle(RX, 12 * round);
      expect(wire.paused).toBe(round < 3); // 64 held: resumed once fewer than 32 wait
    }
    expect(net.counters.rxFrames).toBe(36);
    d.w(REG.status, 0);
    await net.close();
    expect(wire.closed).toBe(true);
  });

  it('returns a receive buffer too small for the frame empty and counts the drop', async () => {
    const wire = new Wire();
    const net = new VirtioNet(wire);
    const d = new TestDriver(net);
    wire.fromHost(frame(200, 9));
    d.submit(RX, [{ addr: d.alloc(64), len: 64, write: true }]);
    await d.settle(RX, 1);
    expect(d.used(RX)).toEqual({ idx: 1, id: 0, len: 0 });
    expect(net.counters.rxDropped).toBe(1);
  });

  it('refuses a malformed MAC', () => {
    expect(() => new VirtioNet(new Wire(), '52:54:00:12:34')).toThrow(RangeError);
  });
});
