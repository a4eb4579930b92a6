// The vCPU bench's four kernels (bench/guests/*.c) built as Linux programs
// and appended to the committed initramfs (guest/linux/make-bench-initrd.sh),
// run in one Linux boot under unum (1 node, 1 vCPU, --bios none) and under
// QEMU (same Image, initrd and sizes): every RESULT verifies and each
// checksum equals QEMU's and the bare-metal ELF's under QEMU. This is what
// the bench's Linux mode (`npm run bench -- vcpu`) measures, at tiny sizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasTool, REPO, unum } from '../machine/tools.js';
import { qemuUnavailableReason, runQemu } from '../support/qemu.js';
import { bootLinuxQemu, LINUX_IMAGE, linuxGuestMissing, resultLines } from '../support/linux-guest.js';

const KERNELS = [
  { name: 'alu', args: 'iters=200000' },
  { name: 'memchase', args: 'size=1M laps=2 passes=1' },
  { name: 'fpmix', args: 'n=50000' },
  { name: 'qsort', args: 'n=20000 rounds=1' },
];
const RUN = KERNELS.map((k) => `${k.name} ${k.args}`).join('; ');
const BOOT_MS = 120_000;

const skip = linuxGuestMissing() ?? qemuUnavailableReason()
  ?? ['riscv64-linux-gnu-gcc', 'cpio'].find((t) => !hasTool(t));
if (skip) console.warn(`skipping the bench kernels under Linux: ${skip} missing`);

describe.skipIf(skip)('bench kernels as Linux programs: unum and QEMU agree', () => {
  let dir = '';
  let initrd = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'unum-bench-initrd-'));
    initrd = path.join(dir, 'initrd.img');
    const r = spawnSync(path.join(REPO, 'guest/linux/make-bench-initrd.sh'), [initrd], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }, 180_000); // gcc for 4 programs and the SDK: seconds idle, a minute or more at load 15
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('one boot per side runs all four; checksums equal QEMU\'s under Linux and bare metal', async () => {
    const [u, q, ...bare] = await Promise.all([
      unum(['run', '--kernel', LINUX_IMAGE, '--initrd', initrd, '--vcpus', '1', '--mem', '256M',
        '--append', `console=hvc0 unum.run="${RUN}"`], '', BOOT_MS),
      bootLinuxQemu(RUN, 1, BOOT_MS, initrd),
      ...KERNELS.map((k) => runQemu(path.join(REPO, 'bench/guests/bin', `${k.name}.elf`), { append: k.args })),
    ]);
    expect(u.status, `${u.stdout}\n${u.stderr}`).toBe(0);
    expect(q.exitCode, q.stdout).toBe(0);
    const ul = resultLines(u.stdout), ql = resultLines(q.stdout);
    expect(ul.map((r) => r.name)).toEqual(KERNELS.map((k) => k.name));
    expect(ql.map((r) => r.name)).toEqual(KERNELS.map((k) => k.name));
    KERNELS.forEach((k, i) => {
      const b = resultLines(bare[i]!.stdout)[0];
      expect(ul[i]!.verified && ql[i]!.verified && b?.verified, k.name).toBe(true);
      expect(ul[i]!.checksum, k.name).toBe(ql[i]!.checksum);
      expect(ul[i]!.checksum, k.name).toBe(b!.checksum);
      // the Linux shim's clock: ns (clock_gettime), and instret readable from U-mode under unum
      expect(Number(ul[i]!.int('tbfreq'))).toBe(1e9);
      expect(ul[i]!.int('ticks') > 0n && ul[i]!.int('instret') > 0n, k.name).toBe(true);
    });
  }, BOOT_MS + 30_000);
});
