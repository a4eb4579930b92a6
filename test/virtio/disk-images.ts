/** Disk images for the virtio tests, built at test time in a temp dir (never committed). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../machine/tools.js';

export const MAKE_ROOTFS = join(REPO, 'guest/linux/make-rootfs.sh');
const SBIN = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` };

/** Why the e2fsprogs tests cannot run here (undefined: they can). */
export function e2fsprogsMissing(): string | undefined {
  for (const t of ['mke2fs', 'debugfs', 'e2fsck']) {
    if (spawnSync('sh', ['-c', `command -v ${t}`], { env: SBIN }).status !== 0) return `${t} not installed (Debian: e2fsprogs)`;
  }
  return undefined;
}

export class ImageDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'unum-virtio-'));

  /**
   * An ext4 root file system from the committed initramfs (guest/linux/make-rootfs.sh),
   * plus `files` (guest path → text) written in with debugfs: a long script as a file
   * keeps the kernel command line short (the kernel panics on more than 32 init words).
   */
  rootfs(name = 'rootfs.ext4', files: Record<string, string> = {}, size = '32M'): string {
    const out = join(this.dir, name);
    const r = spawnSync(MAKE_ROOTFS, [out, size], { encoding: 'utf8', env: SBIN });
    if (r.status !== 0) throw new Error(`make-rootfs.sh: ${r.stderr}`);
    for (const [path, text] of Object.entries(files)) {
      const local = join(this.dir, `file-${Math.random().toString(36).slice(2)}`);
      writeFileSync(local, text);
      const w = spawnSync('debugfs', ['-w', '-R', `write ${local} ${path}`, out], { encoding: 'utf8', env: SBIN });
      if (w.status !== 0 || /error|not found/i.test(w.stderr.split('\n').slice(1).join('\n'))) throw new Error(`debugfs write ${path}: ${w.stderr}`);
    }
    return out;
  }

  /** A raw image of `bytes` filled with `fill`. */
  raw(name: string, bytes: number, fill = 0): string {
    const out = join(this.dir, name);
    writeFileSync(out, Buffer.alloc(bytes, fill));
    return out;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `debugfs -R "cat PATH"` of an ext4 image: the file's bytes as the host sees them. */
export function debugfsCat(image: string, path: string): string {
  const r = spawnSync('debugfs', ['-R', `cat ${path}`, image], { encoding: 'utf8', env: SBIN });
  return r.stdout;
}

/** `e2fsck -n` (check only): its exit status and output. */
export function e2fsckN(image: string): { status: number | null; output: string } {
  const r = spawnSync('e2fsck', ['-n', '-f', image], { encoding: 'utf8', env: SBIN });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
