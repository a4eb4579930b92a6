import { describe, expect, it } from 'vitest';
import { devicesOf, parseDrive } from './device-options.js';
import { UsageError } from './usage-error.js';

describe('device flags', () => {
  it('parses QEMU-shaped --drive values (,, is a comma in a value) without touching files when the device node is elsewhere', () => {
    expect(parseDrive('file=/a/b,,c.img,format=raw,readonly=on,if=virtio', false)).toEqual({ file: '/a/b,c.img', readonly: true });
    expect(parseDrive('file=x.img,readonly=off', false)).toEqual({ file: 'x.img', readonly: false });
    expect(() => parseDrive('file=x.img,format=qcow2', false)).toThrow(UsageError);
  });

  it('keeps drives first, then --device in order, and checks --device-node against the nodes', () => {
    const d = devicesOf({ drive: ['file=/r.img'], device: ['virtio-console', 'virtio-rng-device'], deviceNode: '1' }, 2, false);
    expect(d.devices.map((x) => x.kind?.$case)).toEqual(['drive', 'console', 'rng']);
    expect(d.deviceNode).toBe(1);
    expect(() => devicesOf({ deviceNode: '2' }, 2)).toThrow(/the VM has 2 node\(s\)/);
    expect(devicesOf({ deviceNode: '5' }, undefined, false).deviceNode).toBe(5); // a standing cluster checks it against its nodes
  });
});
