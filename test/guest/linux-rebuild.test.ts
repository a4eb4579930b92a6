// Slow (UNUM_SLOW=1; 10 min on two idle cores, 50 on busy ones): rebuilds
// the Linux guest from scratch (kernel from linux-source-6.1, busybox from
// Debian's source package, the initramfs) in a fresh work dir and compares
// with the committed guest/linux/out: Image, Image.config and
// initramfs.cpio.gz byte for byte.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GUEST_DIR } from './guest-paths.js';

const LINUX = path.join(GUEST_DIR, 'linux');
const OUTPUTS = ['Image', 'Image.config', 'initramfs.cpio.gz'];

function skipReason(): string | undefined {
  if (!process.env.UNUM_SLOW) return 'slow suite: set UNUM_SLOW=1 to rebuild the Linux guest (10-50 min)';
  for (const tool of ['riscv64-linux-gnu-gcc', 'dpkg-source', 'bc', 'flex', 'bison']) {
    const probe = spawnSync('sh', ['-c', `command -v ${tool}`]);
    if (probe.status !== 0) return `${tool} not found (see the apt-get line in .ci/run)`;
  }
  if (!existsSync('/usr/src/linux-source-6.1.tar.xz')) return 'linux-source-6.1 not installed';
  if (process.getuid?.() !== 0) return 'build-busybox.sh needs root (deb-src setup, apt-get source)';
  return undefined;
}
const skip = skipReason();
if (skip) console.warn(`skipping Linux guest rebuild: ${skip}`);

describe.skipIf(skip !== undefined)('Linux guest rebuild', () => {
  // Not /tmp: the kernel tree is ~1 GB. Removed afterwards either way.
  const scratch = skip ? '' : mkdtempSync('/var/tmp/unum-linux-rebuild-');
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('a fresh build of kernel, busybox and initramfs is byte-identical to guest/linux/out', async () => {
    const out = path.join(scratch, 'out');
    // Asynchronously: a worker blocked for the whole build misses vitest's RPC deadline ("Timeout calling onTaskUpdate").
    const build = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(path.join(LINUX, 'build-all.sh'), [out, path.join(scratch, 'work')], { encoding: 'utf8', maxBuffer: 256 << 20 },
        (e, stdout, stderr) => resolve({ status: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }));
    });
    expect(build.status, `${build.stdout.slice(-3000)}\n${build.stderr.slice(-3000)}`).toBe(0);
    for (const f of OUTPUTS) {
      const same = readFileSync(path.join(out, f)).equals(readFileSync(path.join(LINUX, 'out', f)));
      expect(same, `${f} differs from a fresh build: run guest/linux/build-all.sh and commit guest/linux/out`).toBe(true);
    }
    expect(readFileSync(path.join(out, 'SHA256SUMS'), 'utf8')).toBe(readFileSync(path.join(LINUX, 'out', 'SHA256SUMS'), 'utf8'));
  }, 90 * 60_000);
});
