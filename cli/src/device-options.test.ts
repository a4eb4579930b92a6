import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devicesOf, parseDrive } from './device-options.js';
import { UsageError } from './usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'unum-drive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('device flags', () => {
  it('refuses bad --drive values and files in one line each', () => {
    const disk = join(dir, 'd.img');
    writeFileSync(disk, Buffer.alloc(4096));
    writeFileSync(join(dir, 'tiny.img'), Buffer.alloc(100));
    const cases: Array<[string, RegExp]> = [
      [`file=${disk},readonly=maybe`, /readonly=maybe \(on or off\)/],
      [`file=${disk},cache=none`, /unknown key 'cache'/],
      [`file=${disk},if=ide`, /if=ide \(only virtio\)/],
      ['format=raw', /no file=PATH/],
      [`file=${dir}`, /is not a regular file/],
      [`file=${join(dir, 'tiny.img')}`, /smaller than one 512-byte sector/],
    ];
    for (const [text, message] of cases) expect(() => parseDrive(text), text).toThrow(message);
    expect(() => devicesOf({ device: ['virtio-gpu'] })).toThrow(/unknown --device 'virtio-gpu'/);
    expect(() => devicesOf({ deviceNode: 'x' })).toThrow(/--device-node/);
    expect(parseDrive(`file=${disk}`)).toEqual({ file: disk, readonly: false });
  });

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
