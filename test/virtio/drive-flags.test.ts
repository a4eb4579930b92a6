// Bad --drive, --device and --device-node flags: one line on stderr, exit 2, before anything runs.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { unum, GUESTS } from '../machine/tools.js';
import { ImageDir } from './disk-images.js';

const images = new ImageDir();
afterAll(() => images.close());
const hello = join(GUESTS, 'hello.elf');

describe('virtio flags', () => {
  const disk = images.raw('d.img', 1 << 16);
  const tiny = images.raw('tiny.img', 100);
  const cases: Array<[string[], RegExp]> = [ // [flags, the one line]
    [['--drive', 'file=/nonexistent/disk.img'], /bad --drive .*cannot open .*ENOENT/],
    [['--drive', `file=${disk},format=qcow2`], /format=qcow2 \(unum reads raw images only\)/],
    [['--drive', `file=${disk},readonly=maybe`], /readonly=maybe \(on or off\)/],
    [['--drive', `file=${disk},cache=none`], /unknown key 'cache'/],
    [['--drive', 'format=raw'], /no file=PATH/],
    [['--drive', `file=${images.dir}`], /is not a regular file/],
    [['--drive', `file=${tiny}`], /smaller than one 512-byte sector/],
    [['--device', 'virtio-gpu'], /unknown --device 'virtio-gpu'/],
    [['--device-node', '1'], /bad --device-node 1: the VM has 1 node/],
    [['--device-node', 'x'], /--device-node/],
  ];
  it.each(cases.map(([f, m]) => [f.join(' ').replace(images.dir, 'DIR'), f, m] as const))('%s', async (_, flags, message) => {
    const r = await unum(['run', hello, ...flags]);
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('nine devices are more than the board has slots', async () => {
    const r = await unum(['run', hello, ...Array.from({ length: 9 }, () => ['--device', 'virtio-rng']).flat()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/9 virtio devices: the board has 8 virtio-mmio slots/);
  });
});
