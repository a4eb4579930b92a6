/** Assembles differential-test programs with riscv64-unknown-elf-gcc at test time. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CC = 'riscv64-unknown-elf-gcc';
export const DIFF_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(DIFF_DIR, '../..');
/** The guest SDK's link script: image at 0x80000000, .text.start first. */
const LINK_SCRIPT = path.join(REPO_ROOT, 'guest/sdk/link.ld');

export function toolchainUnavailableReason(): string | undefined {
  const probe = spawnSync(CC, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `${CC} not found on PATH (apt-get install gcc-riscv64-unknown-elf)`;
  return undefined;
}

/**
 * Links `sources` (paths; .S files go through the C preprocessor) into `elf`.
 * No relaxation: the programs never set gp, and random blocks overwrite it.
 */
export function link(elf: string, sources: string[], defines: Record<string, number> = {}): void {
  const args = ['-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany', '-nostdlib', '-nostartfiles', '-Wl,--no-relax',
    '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments', '-T', LINK_SCRIPT,
    ...Object.entries(defines).map(([k, v]) => `-D${k}=${v}`), ...sources, '-o', elf];
  const r = spawnSync(CC, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${CC} failed for ${elf}:\n${r.stderr}`);
}

/** Writes `source` to dir/name.S and links it with the given fixed sources. */
export function assemble(dir: string, name: string, source: string, fixed: string[], defines: Record<string, number> = {}): string {
  const asm = path.join(dir, `${name}.S`);
  writeFileSync(asm, source);
  const elf = path.join(dir, `${name}.elf`);
  link(elf, [...fixed.map((f) => path.join(DIFF_DIR, f)), asm], defines);
  return elf;
}
