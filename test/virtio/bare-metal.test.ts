// virtio from a bare-metal driver (test/machine/guests/src/virtio.c), fast
// enough for the default suite on one and two nodes: a good virtio-rng
// request with its interrupt, three malformed chains (a loop, an out-of-RAM
// buffer, more than 64 MiB) that each leave the device asking for a reset
// (DEVICE_NEEDS_RESET) while unum carries on, a working device after the
// reset, and a virtio-blk sector written, flushed and read back. On two
// nodes the driving hart is on node 1 and the devices on node 0 (with
// UNUM_SLOW also on node 1), so every ring and buffer reaches the device
// through the DSM; and once on a standing cluster (--cluster, devices on
// node 1), where the devices travel in CreateVmRequest. (QEMU 7.2, with force-legacy=false, prints the same lines except that
// it uses the out-of-RAM buffer instead of asking for a reset.)
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GUESTS, UNUM_BIN, unum } from '../machine/tools.js';
import { StandingCluster } from '../cluster/standing-cluster.js';
import { ImageDir } from './disk-images.js';
import { runProcess } from '../support/run-process.js';

const images = new ImageDir();
afterAll(() => images.close());

const EXPECTED = [
  'virtio rng found 1', 'rng setup 1', 'rng good request used 1', 'rng interrupt status 1',
  'rng loop chain: needs reset 1', 'rng out-of-RAM chain: needs reset 1', 'rng too long chain: needs reset 1', 'rng after reset used 1',
  'blk setup 1', 'blk capacity sectors 128', 'blk write status 0', 'blk flush status 0', 'blk read status 0', 'blk read back equal 1',
  'blk past the end status 1',
].join('\n');

const pattern = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7 + 3) & 0xff));

describe('virtio from a bare-metal guest', () => {
  it.each([
    ['one node', [], 0],
    ['hart on node 1, devices on node 0', ['--nodes', '2', '--vcpus', '2', '--device-node', '0'], 0],
    // the --cluster case below has its devices on node 1 as well: this one only with UNUM_SLOW
    ...(process.env.UNUM_SLOW ? [['hart on node 1, devices on node 1', ['--nodes', '2', '--vcpus', '2', '--device-node', '1'], 1] as const] : []),
  ] as Array<readonly [string, string[], number]>)('%s: malformed chains ask for a reset, the host carries on, blk data reaches the image', async (name, flags, deviceNode) => {
    const disk = images.raw(`bm-${flags.join('')}.img`, 64 * 1024);
    const stats = join(images.dir, `bm-${flags.join('')}.json`);
    const r = await unum(['run', join(GUESTS, 'virtio.elf'), '--device', 'virtio-rng', '--drive', `file=${disk}`, '--stats', stats, ...flags], '', 120_000);
    expect(r.stdout.trim(), r.stderr).toBe(EXPECTED);
    expect(r.status).toBe(0);
    expect(readFileSync(disk).subarray(512, 1024)).toEqual(pattern);
    expect(r.stderr).toContain('virtio device needs a reset');
    const io = (JSON.parse(readFileSync(stats, 'utf8')) as { perNode: Array<{ node: number; io?: Record<string, number> }> })
      .perNode.find((n) => n.node === deviceNode)!.io!;
    expect(io.requests).toBe(6); // rng: the good one and the one after the reset; blk: write, flush, read, past the end
    if (name.includes('node 0')) expect(io.readFaults).toBeGreaterThan(0); // the rings and buffers were written on node 1
  }, 120_000);

  it('--cluster: the devices travel in CreateVmRequest and run on the standing cluster\'s device node', async () => {
    const disk = images.raw('bm-cluster.img', 64 * 1024);
    const c = await StandingCluster.start({ agents: 2 });
    try {
      const r = await promisify(execFile)(process.execPath, [UNUM_BIN, 'run', join(GUESTS, 'virtio.elf'), '--cluster', `127.0.0.1:${c.port}`,
        '--vcpus', '2', '--mem', '64M', '--device', 'virtio-rng', '--drive', `file=${disk}`, '--device-node', '1'],
      { env: { ...process.env, UNUM_TOKEN: c.token }, timeout: 120_000 });
      expect(r.stdout.trim(), r.stderr).toBe(EXPECTED); // execFile rejects on a non-zero exit
      expect(readFileSync(disk).subarray(512, 1024)).toEqual(pattern);
    } finally {
      await c.stop();
    }
  }, 150_000);

  it('--cluster: a drive or TAP the device node cannot open (a missing file; lo, not a TAP) is one line and exit 2, as on an embedded cluster', async () => {
    const c = await StandingCluster.start({ agents: 1 });
    try {
      for (const device of [['--drive', 'file=/nonexistent/unum-disk.img'], ['--netdev', 'tap,ifname=lo']]) {
        const r = await runProcess(process.execPath, [UNUM_BIN, 'run', join(GUESTS, 'virtio.elf'), '--cluster', `127.0.0.1:${c.port}`,
          '--vcpus', '1', '--mem', '64M', ...device], { env: { ...process.env, UNUM_TOKEN: c.token }, timeout: 60_000 });
        expect(r.status, `${device.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n'), device.join(' ')).toHaveLength(1);
        expect(r.stderr).toMatch(device[0] === '--drive' ? /unum-disk\.img/ : /tap,ifname=lo: /);
      }
    } finally {
      await c.stop();
    }
  }, 150_000);
});
