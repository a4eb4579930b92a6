// The committed Linux guest (guest/linux/out: Image + initramfs) under QEMU
// with OpenSBI: one boot runs every SDK workload as a Linux program through
// the kernel command line's unum.run=, and each checksum must equal the
// bare-metal ELF's (guest/bin) under QEMU for the same arguments and harts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { qemuUnavailableReason, runQemu, type QemuRunResult } from '../support/qemu.js';
import { parseResultLine, type ResultLine } from '../support/result-line.js';
import { TINY_WORKLOADS } from '../support/tiny-workloads.js';
import { GUEST_DIR, guestElf } from './guest-paths.js';

const OUT = path.join(GUEST_DIR, 'linux', 'out');
const IMAGE = path.join(OUT, 'Image');
const INITRD = path.join(OUT, 'initramfs.cpio.gz');
const HARTS = 2;

function skipReason(): string | undefined {
  const qemu = qemuUnavailableReason();
  if (qemu) return qemu;
  for (const f of [IMAGE, INITRD]) if (!existsSync(f)) return `${f} missing (guest/linux/README.md: build and commit it)`;
  return undefined;
}
const skip = skipReason();
if (skip) console.warn(`skipping Linux guest tests: ${skip}`);

/** Boots the Linux guest. runQemu is the bare-metal runner (-bios none);
 * QEMU takes the last -bios, so the extra one loads OpenSBI under the Image. */
function bootLinux(run: string, smp: number): Promise<QemuRunResult> {
  return runQemu(IMAGE, {
    smp,
    memory: '256M',
    append: `console=ttyS0 unum.run="${run}"`,
    extraArgs: ['-bios', 'default', '-initrd', INITRD],
    timeoutMs: 45_000,
  });
}

const resultLines = (stdout: string): ResultLine[] =>
  stdout.split(/\r?\n/).filter((l) => l.startsWith('RESULT ')).map(parseResultLine);

describe.skipIf(skip !== undefined)('Linux guest under QEMU', () => {
  let boot: QemuRunResult;
  let results: ResultLine[];

  beforeAll(async () => {
    boot = await bootLinux(TINY_WORKLOADS.map((w) => `${w.name} ${w.append}`).join('; '), HARTS);
    results = resultLines(boot.stdout);
  }, 50_000);

  it('boots, runs every workload from unum.run= and powers off (QEMU exits 0)', () => {
    expect(boot.timedOut, boot.stdout).toBe(false);
    expect(boot.exitCode, boot.stdout).toBe(0);
    expect(boot.stdout).toContain(`unum linux guest: kernel 6.1.`);
    expect(boot.stdout).toContain('unum.run: exit 0');
    expect(results.map((r) => r.name)).toEqual(TINY_WORKLOADS.map((w) => w.name));
    for (const r of results) {
      expect(r.verified, `${r.name} verify=fail`).toBe(true);
      expect(r.harts).toBe(HARTS);
      expect(r.int('tbfreq')).toBe(1_000_000_000n); // Linux ticks are CLOCK_MONOTONIC ns
    }
  });

  it('every workload prints the bare-metal checksum for the same arguments and harts', async () => {
    // Two bare-metal QEMUs at a time: the machine has two cores.
    const bare: ResultLine[] = [];
    for (let i = 0; i < TINY_WORKLOADS.length; i += 2) {
      const batch = TINY_WORKLOADS.slice(i, i + 2).map(async (w) => {
        const r = await runQemu(guestElf(w.name), { smp: HARTS, memory: '128M', append: w.append, timeoutMs: 30_000 });
        expect(r.exitCode, `${w.name} ${w.append} bare metal:\n${r.stdout}`).toBe(0);
        return resultLines(r.stdout)[0];
      });
      bare.push(...(await Promise.all(batch)));
    }
    TINY_WORKLOADS.forEach((w, i) => {
      expect(results[i]?.checksum, `${w.name} ${w.append}: Linux vs bare metal`).toBe(bare[i].checksum);
    });
  }, 40_000);

  it('a failing unum.run= command ends QEMU with its exit status, like a bare-metal guest', async () => {
    const r = await bootLinux('matmul n=0', 1); // n=0 is a bad argument: EXIT_BADARG
    expect(r.stdout).toContain('error: argument n=0');
    expect(r.stdout).toContain('unum.run: exit 2');
    expect(r.exitCode, r.stdout).toBe(2);
  }, 50_000);
});
