// Linux on unum with virtio devices (issue 15), one boot on one node in the
// default suite doing as much as it can: the root file system on a virtio-blk
// disk (an ext4 image built here from the committed initramfs), a second,
// read-only drive, virtio-rng and virtio-console. The guest writes a file,
// syncs and powers off; the host reads it back with debugfs and e2fsck -n
// finds the image clean. The read-only drive refuses writes in the guest and
// is unchanged on the host; /dev/hwrng reads from the virtio-rng device; what
// the guest writes to /dev/hvc1 (the virtio console) reaches stdout, and
// what is typed on stdin can be read from it.
// With UNUM_SLOW=1: a run killed with SIGKILL after a sync leaves an image
// e2fsck -n accepts, and a guest on node 1 does disk I/O through a device on
// node 0 (--nodes 2 --device-node 0), its DMA through the DSM counted in --stats.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unum, UNUM_BIN, REPO } from '../machine/tools.js';
import { LINUX_IMAGE, LINUX_INITRD, linuxGuestMissing } from '../support/linux-guest.js';
import { debugfsCat, e2fsckN, e2fsprogsMissing, ImageDir } from './disk-images.js';
import { runTypingAfter } from './typed-run.js';

const BOOT_MS = 420_000;
const missing = linuxGuestMissing() ?? e2fsprogsMissing();
if (missing) console.warn(`skipping virtio Linux tests: ${missing}`);
const slow = process.env.UNUM_SLOW ? undefined : 'slow suite: set UNUM_SLOW=1 for the SIGKILL image check and disk I/O from a vCPU on node 1';
if (slow) console.warn(`skipping part of virtio Linux tests: ${slow}`);

const images = new ImageDir();
afterAll(() => images.close());

const diskRoot = (run: string): string => `console=hvc0 root=/dev/vda rw init=/init unum.run='${run}'`;

describe.skipIf(missing)('Linux with virtio devices on unum', () => {
  it('boots from an ext4 disk, writes a file that is in the image after poweroff; RO drive, rng and console work', async () => {
    const ro = images.raw('ro.img', 1 << 20, 0x5a);
    const script = [
      'echo written-by-the-guest > /data/hello.txt', 'sync',
      'cat /sys/block/vdb/ro',
      'dd if=/dev/zero of=/dev/vdb bs=512 count=1 conv=fsync 2>/dev/null && echo RO-WRITE-OK || echo RO-WRITE-REFUSED',
      'cat /sys/class/misc/hw_random/rng_current', 'head -c 64 /dev/hwrng | wc -c | sed s/^/HWRNG-BYTES-/',
      'echo through-virtio-console > /dev/hvc1',
      // hvc1 open before the host types (input that comes before the open waits for the next interrupt, as on QEMU)
      '(read -t 60 typed < /dev/hvc1; echo "HVC1-READ-$typed") & sleep 1; echo HVC1-OPEN-$((6*7)); wait',
    ].join('\n');
    const root = images.rootfs('rootfs.ext4', { '/data/t.sh': `${script}\n` });
    const r = await runTypingAfter(['run', '--kernel', LINUX_IMAGE, '--mem', '256M', '--drive', `file=${root},format=raw`,
      '--drive', `file=${ro},format=raw,readonly=on`, '--device', 'virtio-rng', '--device', 'virtio-console',
      '--append', diskRoot('sh /data/t.sh')], 'HVC1-OPEN-42', 'typed-on-stdin\n', BOOT_MS);
    const out = r.stdout;
    expect(out, r.stderr).toContain('VFS: Mounted root (ext4 filesystem)');
    expect(out).toContain('unum.run: exit 0');
    expect(r.status, `${out}\n${r.stderr}`).toBe(0);
    expect(debugfsCat(root, '/data/hello.txt')).toBe('written-by-the-guest\n');
    const fsck = e2fsckN(root);
    expect(fsck.status, fsck.output).toBe(0);
    // read-only drive: the kernel sees it read-only, writes fail, the image is untouched
    expect(out).toMatch(/^1\r?$/m);
    expect(out).toContain('RO-WRITE-REFUSED');
    expect(readFileSync(ro).every((b) => b === 0x5a)).toBe(true);
    // virtio-rng is the guest's hardware RNG and answers reads
    expect(out).toContain('virtio_rng.0');
    expect(out).toContain('HWRNG-BYTES-64');
    expect(out).toContain('through-virtio-console');
    expect(out).toContain('HVC1-READ-typed-on-stdin'); // host input reaches the virtio console too
  }, BOOT_MS);

  it.skipIf(slow)('a run killed with SIGKILL after a sync leaves an image e2fsck -n accepts, with the synced file', async () => {
    const root = images.rootfs('killed.ext4');
    // the marker is computed in the guest: the command line itself (echoed by the kernel and init) must not match
    const run = 'echo synced-before-the-kill > /data/k.txt; sync; echo READY-TO-KILL-$((6*7)); while true; do echo x >> /data/unsynced; sleep 1; done';
    const child = spawn(process.execPath, [UNUM_BIN, 'run', '--kernel', LINUX_IMAGE, '--mem', '256M', '--drive', `file=${root}`,
      '--append', diskRoot(run)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const killed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, BOOT_MS - 10_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY-TO-KILL-42')) { clearTimeout(timer); setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 2000); }
      });
    });
    await killed;
    await new Promise((r) => child.on('close', r));
    expect(out).toContain('READY-TO-KILL-42');
    const fsck = e2fsckN(root);
    expect(fsck.status, fsck.output).toBe(0);
    expect(debugfsCat(root, '/data/k.txt')).toBe('synced-before-the-kill\n');
  }, BOOT_MS);

  it.skipIf(slow)('a vCPU on node 1 writes and reads a disk on node 0 (--device-node 0); DMA through the DSM is counted in --stats', async () => {
    const disk = images.raw('data.img', 4 << 20);
    const stats = join(images.dir, 'stats.json');
    const run = [
      'diskio file=/dev/vda mode=seqwrite size=1M seed=7', 'diskio file=/dev/vda mode=randread size=1M seed=7 check=1',
      'echo from-node-1 | dd of=/dev/vda bs=512 seek=4096 conv=fsync 2>/dev/null',
    ].join('; ');
    const r = await unum(['run', '--kernel', LINUX_IMAGE, '--initrd', LINUX_INITRD, '--mem', '256M', '--nodes', '2', '--vcpus', '1',
      '--placement', '1', '--device-node', '0', '--drive', `file=${disk}`, '--stats', stats,
      '--append', `console=hvc0 unum.run='${run}'`], '', BOOT_MS);
    expect(r.stdout, r.stderr).toContain('unum.run: exit 0');
    expect(r.stdout).not.toContain('verify=fail');
    expect(r.status).toBe(0);
    expect(readFileSync(disk).subarray(4096 * 512, 4096 * 512 + 12).toString()).toBe('from-node-1\n');
    const s = JSON.parse(readFileSync(stats, 'utf8')) as { perNode: Array<{ node: number; io?: Record<string, number> }> };
    const io = s.perNode.find((n) => n.node === 0)!.io!;
    expect(io.requests).toBeGreaterThan(256); // 1 MiB written and read in 4 KiB requests
    expect(io.readFaults + io.writeFaults).toBeGreaterThan(0); // buffers dirtied on node 1 fetched by the device
    expect(io.dsmMessages).toBeGreaterThan(0);
    expect(s.perNode.find((n) => n.node === 1)!.io).toBeUndefined();
  }, BOOT_MS);
});
