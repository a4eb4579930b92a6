// The committed Linux guest (guest/linux/out: Image + initramfs) booted on
// unum with QEMU's flags (docs/linux.md): --bios none (the built-in SBI,
// S-mode kernel on hart 0, HSM for the others) with the SBI console, and
// OpenSBI fw_dynamic (--bios default) from the reset ROM with the UART
// console. Linux on the interpreter takes a while on this shared machine, so
// the default suite boots it twice, each boot doing as much as it can:
//   1. --bios none, hvc0, 2 harts: one unum.run= script runs every tiny
//      workload; each RESULT checksum must equal QEMU's from the same Image
//      and initramfs; the RTC reads the host's clock; poweroff gives exit 0.
//   2. no unum.run=: the shell on ttyS0 (under OpenSBI when installed),
//      driven over stdin: typed commands, their answers, `poweroff -f`.
// With UNUM_SLOW=1: 1 and 4 harts, ttyS0 on the built-in SBI, OpenSBI with
// unum.run=, a failing command, 2 and 3 nodes (NUMA topology as the kernel
// sees it), and a --deterministic boot on 2 nodes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIRMWARE_PATHS } from '@unum/machine';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acrossNodesCmdline } from '@unum/lab';
import { unum, UNUM_BIN, REPO, type RunResult } from '../machine/tools.js';
import { parseResultLine } from '../support/result-line.js';
import { qemuUnavailableReason } from '../support/qemu.js';
import { TINY_WORKLOADS } from '../support/tiny-workloads.js';
import {
  ALL_WORKLOADS_RUN, LINUX_IMAGE, LINUX_INITRD, NUMA_TOPOLOGY_RUN, bootLinuxQemu, consoleSession, linuxGuestMissing,
  memoryRangesOf, resultLines, topologyOf,
} from '../support/linux-guest.js';

const BOOT_MS = 420_000;
const MEM = 256n << 20n;
const RAM_BASE = 0x8000_0000n;

const missing = linuxGuestMissing();
if (missing) console.warn(`skipping Linux on unum: ${missing} missing (guest/linux/README.md)`);
const opensbi = DEFAULT_FIRMWARE_PATHS.some((p) => existsSync(p));
if (!opensbi) console.warn('Linux on unum: no OpenSBI fw_dynamic (install opensbi or qemu-system-data): the shell test runs on the built-in SBI, the --bios default cases are skipped');
const noQemu = qemuUnavailableReason();
if (noQemu) console.warn(`Linux on unum: checksums not compared with QEMU's: ${noQemu}`);
const slow = process.env.UNUM_SLOW ? undefined
  : 'slow suite: set UNUM_SLOW=1 to boot Linux on unum with 1 and 4 harts, ttyS0 on the built-in SBI, OpenSBI with unum.run=, a failing command, on 2 and 3 nodes';
if (slow) console.warn(`skipping part of Linux on unum: ${slow}`);

function boot(extra: string[], append: string): Promise<RunResult> {
  return unum(['run', '--kernel', LINUX_IMAGE, '--initrd', LINUX_INITRD, '--mem', '256M', ...extra, '--append', append], '', BOOT_MS);
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

/** N nodes, one vCPU each: the kernel finds N NUMA nodes, CPU i on node i, RAM split in N contiguous ranges. */
function expectNuma(r: RunResult, nodes: number): void {
  expect(r.stdout, r.stderr).toContain(`smp: Brought up ${nodes} nodes, ${nodes} CPUs`);
  const topo = topologyOf(r.stdout);
  expect(topo.map((t) => [t.node, t.cpus]), r.stdout).toEqual(Array.from({ length: nodes }, (_, i) => [i, String(i)]));
  for (const t of topo) expect(t.memKb).toBeGreaterThan(0);
  const ranges = memoryRangesOf(r.stdout);
  expect(ranges.length, r.stdout).toBe(nodes);
  expect(ranges[0]![0]).toBe(RAM_BASE);
  expect(ranges[nodes - 1]![1]).toBe(RAM_BASE + MEM - 1n);
  for (let i = 1; i < nodes; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1n);
}

describe.skipIf(missing !== undefined)('Linux on unum', () => {
  it("--bios none, hvc0, 2 harts: every workload's checksum equals QEMU's (same Image and initramfs), powers off with 0", async () => {
    const [r, q] = await Promise.all([
      boot(['--vcpus', '2'], `console=hvc0 unum.run="${ALL_WORKLOADS_RUN}"`),
      noQemu ? undefined : bootLinuxQemu(ALL_WORKLOADS_RUN, 2, BOOT_MS),
    ]);
    expect(r.stdout, r.stderr).toContain('unum linux guest: kernel 6.1.');
    expect(r.stdout).toContain('goldfish_rtc 101000.rtc: registered as rtc0');
    expect(r.stdout).not.toContain('1970-01-01'); // the RTC reads the host's wall clock
    const mine = resultLines(r.stdout);
    expect(mine.map((l) => l.name), r.stdout).toEqual(TINY_WORKLOADS.map((w) => w.name));
    for (const l of mine) {
      expect(l.verified, `${l.name} verify=fail`).toBe(true);
      expect(l.harts).toBe(2);
    }
    expect(r.stdout).toContain('unum.run: exit 0');
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    if (q) {
      expect(q.exitCode, q.stdout).toBe(0);
      const theirs = resultLines(q.stdout);
      TINY_WORKLOADS.forEach((w, i) => {
        expect(mine[i]?.checksum, `${w.name} ${w.append}: unum vs QEMU`).toBe(theirs[i]?.checksum);
      });
    }
  }, BOOT_MS + 10_000);

  it(`the shell on the console (ttyS0, ${opensbi ? 'OpenSBI fw_dynamic' : 'built-in SBI'}): typed commands are answered, poweroff -f ends unum with 0`, async () => {
    const bios = opensbi ? ['--bios', 'default'] : [];
    const s = consoleSession(process.execPath, [UNUM_BIN, 'run', '--kernel', LINUX_IMAGE, '--initrd', LINUX_INITRD, '--mem', '256M',
      '--vcpus', '2', ...bios, '--append', 'console=ttyS0'], REPO);
    try {
      const banner = await s.waitFor('shell on the console', BOOT_MS);
      const prompt = await s.waitFor(/[#$] $/, 60_000, banner);
      s.type('echo hi-$((6*7)); nproc\n');
      const hi = await s.waitFor(/^hi-42\r?\n2\r?$/m, 60_000, prompt);
      s.type('cat /proc/cmdline\n');
      await s.waitFor(/^console=ttyS0\r?$/m, 60_000, hi);
      s.type('poweroff -f\n');
      const { status, stderr } = await s.exited(60_000);
      if (opensbi) {
        expect(s.output()).toContain('OpenSBI v');
        expect(s.output()).toMatch(/Domain0 Next Address\s+: 0x0*80200000/);
      }
      expect(status, `${s.output()}\n${stderr}`).toBe(0);
    } finally {
      s.kill();
    }
  }, BOOT_MS + 200_000);

  describe.skipIf(slow !== undefined)('slow', () => {
    it('--bios none with console=ttyS0 (the UART), 1 hart', async () => {
      expectMatmul(await boot(['--vcpus', '1'], "console=ttyS0 unum.run='matmul n=32'"), 1);
    }, BOOT_MS + 10_000);

    it('--bios none, hvc0, 4 harts on one node', async () => {
      expectMatmul(await boot(['--vcpus', '4'], "console=hvc0 unum.run='matmul n=32'"), 4);
    }, BOOT_MS + 10_000);

    it.skipIf(!opensbi)('--bios default: OpenSBI fw_dynamic from the reset ROM, console=ttyS0, unum.run=', async () => {
      const r = await boot(['--vcpus', '2', '--bios', 'default'], "console=ttyS0 unum.run='matmul n=32'");
      expect(r.stdout).toContain('OpenSBI v');
      expect(r.stdout).toMatch(/Domain0 Next Address\s+: 0x0*80200000/);
      expectMatmul(r, 2);
    }, BOOT_MS + 10_000);

    it('a failing unum.run= command ends unum with its status', async () => {
      const r = await boot(['--vcpus', '1'], "console=hvc0 unum.run='matmul n=0'");
      expect(r.stdout).toContain('unum.run: exit 2');
      expect(r.status, r.stdout).toBe(2);
    }, BOOT_MS + 10_000);

    for (const nodes of [2, 3]) {
      it(`${nodes} nodes (--nodes ${nodes} --vcpus ${nodes}): ${nodes} NUMA nodes with their CPU and RAM range, matmul, poweroff`, async () => {
        const r = await boot(['--vcpus', String(nodes), '--nodes', String(nodes)], `console=hvc0 unum.run="${NUMA_TOPOLOGY_RUN}; matmul n=32"`);
        expectNuma(r, nodes);
        expectMatmul(r, nodes);
      }, 2 * BOOT_MS);
    }

    // Only that it finishes and computes right: two lockstep Linux runs on 2 nodes have differed by 2 and by 1,390
    // of ~49,000 DSM messages (the goldfish RTC reads the host clock even in lockstep; the rest is not yet
    // explained, docs/determinism.md), so the counts are printed, not compared.
    it('--deterministic on 2 nodes with nohz_full and isolcpus: boots to poweroff and matmul verifies', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'unum-det-'));
      try {
        const stats = path.join(dir, 'stats.json');
        const r = await boot(['--vcpus', '2', '--nodes', '2', '--deterministic', '--stats', stats], `console=hvc0 ${acrossNodesCmdline(2, true)} unum.run='matmul n=32'`);
        expectMatmul(r, 2);
        const messages = (JSON.parse(readFileSync(stats, 'utf8')) as { totals: { messages: number } }).totals.messages;
        expect(messages).toBeGreaterThan(0);
        console.log(`lockstep Linux on 2 nodes: ${messages} DSM messages`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 2 * BOOT_MS);
  });
});
