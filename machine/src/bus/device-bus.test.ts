import { describe, expect, it } from 'vitest';
import { NoDevice } from './mmio-bus.js';
import { DeviceBus } from './device-bus.js';
import type { FinishOutcome } from '../devices/device.js';

function rig() {
  const out: number[] = [];
  const finished: FinishOutcome[] = [];
  const pins: string[] = [];
  const bus = new DeviceBus({
    harts: 1,
    console: { write: (b) => out.push(...b), onInput: () => {} },
    hartExternalIrq: (h, m, level) => pins.push(`${h}${m}=${level}`),
    finish: (o) => finished.push(o),
  });
  return { bus, out, finished, pins };
}

describe('DeviceBus', () => {
  it('routes by address to every registered device', async () => {
    const r = rig();
    expect(r.bus.devices.map((d) => d.name)).toEqual(['test', 'rtc', 'plic', 'uart']);
    await r.bus.write(0x1000_0000, 1, 0x41n);
    expect(r.out).toEqual([0x41]);
    expect(await r.bus.read(0x1000_0005, 1)).toBe(0x60n);
    await r.bus.write(0x10_0000, 4, 0x5555n);
    expect(r.finished).toEqual([{ kind: 'pass' }]);
  });

  it('wires the UART interrupt through the PLIC to the hart pin', async () => {
    const r = rig();
    await r.bus.write(0x0c00_0000 + 4 * 10, 4, 1n); // priority of source 10
    await r.bus.write(0x0c00_2000, 4, 1n << 10n); // enable for hart 0 M-mode
    await r.bus.write(0x1000_0001, 1, 0x02n); // UART IER: THR empty
    expect(r.pins).toEqual(['0M=true']);
    expect(await r.bus.read(0x0c20_0004, 4)).toBe(10n); // claim
  });

  it('rejects accesses to no device with NoDevice and counts them', async () => {
    const r = rig();
    await expect(r.bus.read(0x0800_0000, 4)).rejects.toBeInstanceOf(NoDevice);
    await expect(r.bus.write(0x0800_0000, 4, 1n)).rejects.toBeInstanceOf(NoDevice);
    expect(r.bus.readSync(0x0800_0000, 4)).toBe(0n);
    expect(r.bus.unmapped).toBe(3);
  });
});
