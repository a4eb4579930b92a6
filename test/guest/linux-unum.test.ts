// The committed Linux guest (guest/linux/out: Image + initramfs) booted on
// unum with QEMU's flags (docs/linux.md): --bios none (the built-in SBI,
// S-mode kernel on hart 0, HSM for the others) with the SBI console, and
// OpenSBI fw_dynamic (--bios default) from the reset ROM with the UART
// console. Each runs `unum.run='matmul n=32'`, checks the RESULT line and
// that the guest powered off with status 0. Linux on the interpreter takes
// a while on this shared machine: two boots in the default suite; the
// others (ttyS0 on the built-in SBI, a failing command, two nodes) with UNUM_SLOW=1.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIRMWARE_PATHS } from '@unum/machine';
import { unum, type RunResult } from '../machine/tools.js';
import { parseResultLine } from '../support/result-line.js';
import { GUEST_DIR } from './guest-paths.js';

const OUT = path.join(GUEST_DIR, 'linux', 'out');
const IMAGE = path.join(OUT, 'Image');
const INITRD = path.join(OUT, 'initramfs.cpio.gz');
const BOOT_MS = 420_000;

const missing = [IMAGE, INITRD].find((f) => !existsSync(f));
if (missing) console.warn(`skipping Linux on unum: ${missing} missing (guest/linux/README.md)`);
const opensbi = DEFAULT_FIRMWARE_PATHS.some((p) => existsSync(p));
if (!opensbi) console.warn('skipping Linux on unum with --bios default: no OpenSBI fw_dynamic (install opensbi or qemu-system-data)');
const slow = process.env.UNUM_SLOW ? undefined : 'slow suite: set UNUM_SLOW=1 to boot Linux on unum with ttyS0 on the built-in SBI, a failing command and on two nodes';
if (slow) console.warn(`skipping part of Linux on unum: ${slow}`);

function boot(extra: string[], append: string): Promise<RunResult> {
  return unum(['run', '--kernel', IMAGE, '--initrd', INITRD, '--mem', '256M', ...extra, '--append', append], '', BOOT_MS);
}

function expectMatmul(r: RunResult, harts: number): void {
  const out = r.stdout;
  expect(out, r.stderr).toContain('unum linux guest: kernel 6.1.');
  const line = out.split(/\r?\n/).find((l) => l.startsWith('RESULT '));
  expect(line, out).toBeDefined();
  const res = parseResultLine(line!);
  expect(res.name).toBe('matmul');
  expect(res.verified).toBe(true);
  expect(res.harts).toBe(harts);
  expect(out).toContain('unum.run: exit 0');
  expect(r.status, `${out}\n${r.stderr}`).toBe(0);
}

describe.skipIf(missing !== undefined)('Linux on unum', () => {
  it('--bios none: the built-in SBI, console=hvc0, 2 harts (HSM hart_start), powers off with 0', async () => {
    const r = await boot(['--vcpus', '2'], "console=hvc0 unum.run='matmul n=32'");
    expectMatmul(r, 2);
    expect(r.stdout).toContain('goldfish_rtc 101000.rtc: registered as rtc0');
    expect(r.stdout).not.toContain('1970-01-01'); // the RTC reads the host's wall clock
  }, BOOT_MS + 10_000);

  it.skipIf(!opensbi)('--bios default: OpenSBI fw_dynamic from the reset ROM, console=ttyS0', async () => {
    const r = await boot(['--vcpus', '2', '--bios', 'default'], "console=ttyS0 unum.run='matmul n=32'");
    expect(r.stdout).toContain('OpenSBI v');
    expect(r.stdout).toMatch(/Domain0 Next Address\s+: 0x0*80200000/);
    expectMatmul(r, 2);
  }, BOOT_MS + 10_000);

  describe.skipIf(slow !== undefined)('slow', () => {
    it('--bios none with console=ttyS0 (the UART), 1 hart', async () => {
      expectMatmul(await boot(['--vcpus', '1'], "console=ttyS0 unum.run='matmul n=32'"), 1);
    }, BOOT_MS + 10_000);

    it('a failing unum.run= command ends unum with its status', async () => {
      const r = await boot(['--vcpus', '1'], "console=hvc0 unum.run='matmul n=0'");
      expect(r.stdout).toContain('unum.run: exit 2');
      expect(r.status, r.stdout).toBe(2);
    }, BOOT_MS + 10_000);

    it('two nodes (--nodes 2), 2 harts, one per node', async () => {
      expectMatmul(await boot(['--vcpus', '2', '--nodes', '2'], "console=hvc0 unum.run='matmul n=32'"), 2);
    }, 2 * BOOT_MS);
  });
});
