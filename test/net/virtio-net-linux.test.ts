// virtio-net end to end: the committed Linux guest on unum with
// `--netdev tap,ifname=utap0`, run inside a network namespace this test
// makes (lab/src/net/tap-lab.ts), whose TAP has the host side 10.79.0.1
// and an echo peer (guest/linux/io/netio-peer.mjs). The guest (10.79.0.2)
// pings the host side and runs netio's TCP request/response (every byte
// echoed and checked) and a bulk receive. Traffic stays in the namespace;
// it is deleted after the tests, also when one fails.
//   default suite: one node (one boot, ~10-30 s), plus bad --netdev flags
//   UNUM_SLOW=1: two nodes, the devices on node 0 and the only vCPU on
//   node 1, so every MMIO access is forwarded and every DMA crosses the DSM
// Needs root and /dev/net/tun (skipped with the reason otherwise).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TapLab } from '@unum/lab';
import { run, unum, UNUM_BIN, type RunResult } from '../machine/tools.js';
import { LINUX_IMAGE, LINUX_INITRD, linuxGuestMissing, resultLines } from '../support/linux-guest.js';
import type { IoStats } from '@unum/protos/stats';

const BOOT_MS = 420_000;
const missing = linuxGuestMissing();
const problem = TapLab.problem() ?? (missing ? `${missing} missing` : undefined);
if (problem) console.warn(`skipping virtio-net on Linux: ${problem}`);
const slow = process.env.UNUM_SLOW ? undefined : 'slow suite: set UNUM_SLOW=1 for the 2-node case (vCPU on node 1, devices on node 0)';
if (!problem && slow) console.warn(`skipping part of virtio-net on Linux: ${slow}`);

function bootIn(lab: TapLab, extra: string[], script: string): Promise<RunResult> {
  const argv = lab.argv([process.execPath, UNUM_BIN, 'run', '--kernel', LINUX_IMAGE, '--initrd', LINUX_INITRD, '--mem', '256M',
    '--netdev', `tap,ifname=${lab.ifname}`, ...extra, '--append', `console=hvc0 unum.run="${script}"`]);
  return run(argv[0]!, argv.slice(1), '', BOOT_MS);
}

/** ping, then 50 echoed round trips and 256 KiB from the host, all checked byte for byte. */
const script = (lab: TapLab): string =>
  `${lab.guestUp()}; ping -c 3 -W 5 ${lab.hostAddr} && netio host=${lab.hostAddr} mode=rr n=50 msg=200 && netio host=${lab.hostAddr} mode=recv bytes=256K`;

function expectNetworked(r: RunResult, lab: TapLab): void {
  const out = r.stdout;
  expect(out, r.stderr).toContain('unum.run: exit 0');
  expect(out).toMatch(new RegExp(`3 packets transmitted, 3 packets received`));
  expect(out).toContain(`64 bytes from ${lab.hostAddr}`);
  const results = resultLines(out).filter((l) => l.name === 'netio');
  expect(results.map((l) => [l.fields.mode, l.verified, l.fields.bad]), out).toEqual([['rr', true, '0'], ['recv', true, '0']]);
  expect(r.status, r.stderr).toBe(0);
}

describe.skipIf(!!problem)('virtio-net on a TAP, Linux guest', () => {
  let lab: TapLab;
  beforeAll(async () => {
    lab = TapLab.open('nettest');
    await lab.startPeer(5201, 900);
  });
  afterAll(() => {
    lab?.close();
    expect(lab?.exists()).toBe(false);
  });

  it('one node: the guest pings the TAP\'s host side and echoes TCP through it', async () => {
    const r = await bootIn(lab, ['--vcpus', '1'], script(lab));
    expectNetworked(r, lab);
  });

  it('a TAP this host cannot attach (here: lo, not a TAP) is one line and exit 2 before anything starts', async () => {
    const argv = lab.argv([process.execPath, UNUM_BIN, 'run', '--kernel', LINUX_IMAGE, '--initrd', LINUX_INITRD, '--mem', '64M',
      '--netdev', 'tap,ifname=lo']);
    const r = await run(argv[0]!, argv.slice(1), '', 30_000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(["unum: bad --netdev 'tap,ifname=lo': cannot attach TAP 'lo': EINVAL: it exists and is not a TAP"]);
  });

  it.skipIf(!!slow)('two nodes: the vCPU on node 1, the NIC on node 0; its DMA goes through the DSM (--stats)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'unum-nettest-'));
    try {
      const stats = path.join(dir, 'stats.json');
      const r = await bootIn(lab, ['--vcpus', '1', '--nodes', '2', '--placement', '1', '--device-node', '0', '--stats', stats], script(lab));
      expectNetworked(r, lab);
      const s = JSON.parse(readFileSync(stats, 'utf8')) as { perNode: Array<{ node: number; io?: IoStats }> };
      const io = s.perNode.find((n) => n.node === 0)!.io!;
      expect(io.requests).toBeGreaterThan(100); // frames both ways (256 KiB received alone is ~180 frames)
      expect(io.readFaults + io.writeFaults).toBeGreaterThan(0); // rings and buffers the vCPU on node 1 wrote, fetched by the device
      expect(io.dsmMessages).toBeGreaterThan(0);
      const net = io.net!; // the NIC's frames: the 256 KiB bulk in, the echo out
      expect(net.rxFrames).toBeGreaterThan(100);
      expect(net.rxBytes).toBeGreaterThan(256 * 1024);
      expect(net.txFrames).toBeGreaterThan(0);
      expect(net.rxDropped).toBe(0);
      expect(s.perNode.find((n) => n.node === 1)!.io).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--netdev refusals', () => {
  it.each([
    ['user', /no user-mode network backend/],
    ['tap', /ifname=NAME is required/],
    ['tap,ifname=bad/name', /bad TAP interface name/],
    ['tap,ifname=t0,script=/etc/qemu-ifup', /runs no scripts/],
  ])('--netdev %s: one line, exit 2', async (flag, why) => {
    const r = await unum(['run', '--kernel', LINUX_IMAGE, '--initrd', LINUX_INITRD, '--mem', '64M', '--netdev', flag], '', 30_000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(why);
  });
});
