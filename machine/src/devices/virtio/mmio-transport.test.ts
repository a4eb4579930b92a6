import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../test-support/virtio-driver.js';
import { VirtioRng } from './virtio-rng.js';
import { INT_CONFIG_CHANGE, INT_USED_BUFFER, REG, STATUS } from './virtio-regs.js';

describe('virtio-mmio transport', () => {
  it('identifies itself as virtio 1.x and an empty slot as device 0', () => {
    const empty = new TestDriver(undefined);
    expect([empty.r(REG.magic), empty.r(REG.version), empty.r(REG.deviceId)]).toEqual([0x74726976, 2, 0]);
    const rng = new TestDriver(new VirtioRng());
    expect(rng.r(REG.deviceId)).toBe(4);
    rng.w(REG.deviceFeaturesSel, 1);
    expect(rng.r(REG.deviceFeatures)).toBe(1); // VIRTIO_F_VERSION_1
    expect(rng.r(REG.status) & STATUS.driverOk).toBe(STATUS.driverOk);
  });

  it('refuses FEATURES_OK without VIRTIO_F_VERSION_1 (no legacy)', () => {
    const d = new TestDriver(new VirtioRng(), 0n);
    expect(d.r(REG.status) & STATUS.featuresOk).toBe(0);
  });

  it('serves a chain, raises the interrupt, lowers it on ACK and resets on status 0', async () => {
    const d = new TestDriver(new VirtioRng());
    const buf = d.alloc(32);
    d.submit(0, [{ addr: buf, len: 32, write: true }]);
    await d.settle(0);
    expect(d.used(0)).toEqual({ idx: 1, id: 0, len: 32 });
    expect(d.bytes(buf, 32).some((b) => b !== 0)).toBe(true);
    expect(d.irq).toBe(true);
    expect(d.r(REG.interruptStatus)).toBe(INT_USED_BUFFER);
    d.w(REG.interruptAck, INT_USED_BUFFER);
    expect(d.irq).toBe(false);
    d.w(REG.status, 0);
    expect([d.r(REG.status), d.r(REG.queueReady)]).toEqual([0, 0]);
  });

  it('a malformed chain sets DEVICE_NEEDS_RESET with a config interrupt, never throws', async () => {
    const cases = {
      loop: (d: TestDriver) => d.submit(0, [{ addr: d.alloc(8), len: 8, write: true, next: 1 }, { addr: d.alloc(8), len: 8, write: true, next: 0 }]),
      'out of RAM': (d: TestDriver) => d.submit(0, [{ addr: 0x1_0000_0000, len: 64, write: true }]),
      'too long': (d: TestDriver) => d.submit(0, [{ addr: d.alloc(8), len: 0xffff_ffff, write: true }]),
      'index outside the queue': (d: TestDriver) => d.submit(0, [{ addr: d.alloc(8), len: 8, write: true, next: 99 }, { addr: d.alloc(8), len: 8, write: true }]),
    };
    for (const [why, submit] of Object.entries(cases)) {
      const d = new TestDriver(new VirtioRng());
      submit(d);
      await d.settle(0);
      expect(d.r(REG.status) & STATUS.needsReset, why).toBe(STATUS.needsReset);
      expect(d.r(REG.interruptStatus) & INT_CONFIG_CHANGE, why).toBe(INT_CONFIG_CHANGE);
      expect(d.errors.length, why).toBe(1);
      d.w(REG.status, 0); // the driver's reset brings it back
      expect(d.r(REG.status), why).toBe(0);
    }
  });
});
