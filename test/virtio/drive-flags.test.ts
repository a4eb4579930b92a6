// Bad --drive, --device and --device-node flags through the real CLI: one
// line on stderr, exit 2, before anything runs. (Every other refusal of the
// parser is a unit test: cli/src/device-options.test.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { unum, GUESTS } from '../machine/tools.js';
import { ImageDir } from './disk-images.js';

const images = new ImageDir();
afterAll(() => images.close());
const hello = join(GUESTS, 'hello.elf');

describe('virtio flags', () => {
  const disk = images.raw('d.img', 1 << 16);
  const cases: Array<[string[], RegExp]> = [ // [flags, the one line]
    [['--drive', 'file=/nonexistent/disk.img'], /^unum: bad --drive .*cannot open .*ENOENT/],
    [['--drive', `file=${disk},format=qcow2`], /format=qcow2 \(unum reads raw images only\)/],
    [['--device-node', '1'], /bad --device-node 1: the VM has 1 node/],
    [Array.from({ length: 9 }, () => ['--device', 'virtio-rng']).flat(), /9 virtio devices: the board has 8 virtio-mmio slots/],
  ];
  it.each(cases.map(([f, m]) => [f.join(' ').replace(images.dir, 'DIR').slice(0, 60), f, m] as const))('%s', async (_, flags, message) => {
    const r = await unum(['run', hello, ...flags]);
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
