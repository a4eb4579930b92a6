// The committed Linux guest (guest/linux/out: Image + initramfs) under QEMU
// with OpenSBI: one boot runs every SDK workload as a Linux program through
// the kernel command line's unum.run=, and each checksum must equal the
// bare-metal ELF's (guest/bin) under QEMU for the same arguments and harts.
import { beforeAll, describe, expect, it } from 'vitest';
import { qemuUnavailableReason, runQemu, type QemuRunResult } from '../support/qemu.js';
import { type ResultLine } from '../support/result-line.js';
import { TINY_WORKLOADS } from '../support/tiny-workloads.js';
import { ALL_WORKLOADS_RUN, bootLinuxQemu, linuxGuestMissing, resultLines } from '../support/linux-guest.js';
import { guestElf } from './guest-paths.js';

const HARTS = 2;

function skipReason(): string | undefined {
  const qemu = qemuUnavailableReason();
  if (qemu) return qemu;
  const missing = linuxGuestMissing();
  return missing && `${missing} missing (guest/linux/README.md: build and commit it)`;
}
const skip = skipReason();
if (skip) console.warn(`skipping Linux guest tests: ${skip}`);

describe.skipIf(skip !== undefined)('Linux guest under QEMU', () => {
  let boot: QemuRunResult;
  let results: ResultLine[];

  beforeAll(async () => {
    boot = await bootLinuxQemu(ALL_WORKLOADS_RUN, HARTS);
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
    const r = await bootLinuxQemu('matmul n=0', 1); // n=0 is a bad argument: EXIT_BADARG
    expect(r.stdout).toContain('error: argument n=0');
    expect(r.stdout).toContain('unum.run: exit 2');
    expect(r.exitCode, r.stdout).toBe(2);
  }, 50_000);
});
