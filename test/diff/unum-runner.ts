/**
 * Runs a guest ELF under unum (`cli/bin/unum.js run`, needs
 * `npm run build`) and under QEMU with one set of options (runQemu's), so
 * differential tests can compare the two; says at run time whether unum works.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runUnum } from '../cluster/unum-runner.js';
import { parseResultOutput } from '../support/result-line.js';
import { runQemu, type QemuRunOptions, type QemuRunResult } from '../support/qemu.js';
import { REPO_ROOT } from './toolchain.js';

const UNUM_BIN = path.join(REPO_ROOT, 'cli/bin/unum.js');
const HELLO = path.join(REPO_ROOT, 'guest/bin/hello.elf');

let cachedReason: string | undefined | null = null;

/** Why `unum run` can't run guests here (not built, engine not working), or undefined. */
export function unumUnavailableReason(): string | undefined {
  if (cachedReason !== null) return cachedReason;
  if (!existsSync(path.join(REPO_ROOT, 'cli/dist/main.js'))) {
    return (cachedReason = 'unum is not built (run npm run build)');
  }
  const r = spawnSync(process.execPath, [UNUM_BIN, 'run', HELLO], { encoding: 'utf8', timeout: 30_000 });
  cachedReason = r.status === 0 && r.stdout.includes('hello from hart 0')
    ? undefined
    : `unum run guest/bin/hello.elf does not work yet (status ${r.status}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
  return cachedReason;
}

/** runQemu's options, plus `nodes` for an embedded cluster (one node when omitted). */
export interface SideBySideOptions extends QemuRunOptions { nodes?: number }

/** runQemu's options and result shape, over test/cluster's runUnum. */
export async function runUnumLikeQemu(elf: string, opts: SideBySideOptions = {}): Promise<QemuRunResult> {
  const r = await runUnum(elf, {
    vcpus: opts.smp ?? 1, nodes: opts.nodes, mem: opts.memory ?? '256M', append: opts.append, timeoutMs: opts.timeoutMs ?? 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, timedOut: r.timedOut, elapsedMs: r.elapsedMs };
}

export interface SideBySide { qemu: QemuRunResult; unum: QemuRunResult }

export async function runBoth(elf: string, opts: SideBySideOptions = {}): Promise<SideBySide> {
  const [qemu, unum] = await Promise.all([runQemu(elf, opts), runUnumLikeQemu(elf, opts)]);
  return { qemu, unum };
}

/** Both exit 0 and verify, with the same hart count and RESULT checksum; returns unum's RESULT. */
export async function expectSameResult(elf: string, opts: SideBySideOptions): Promise<ReturnType<typeof parseResultOutput>> {
  const { qemu, unum } = await runBoth(elf, opts);
  expect(qemu.exitCode, `QEMU:\n${qemu.stdout}${qemu.stderr}`).toBe(0);
  expect(unum.exitCode, `unum:\n${unum.stdout}${unum.stderr}`).toBe(0);
  const q = parseResultOutput(qemu.stdout), u = parseResultOutput(unum.stdout);
  expect(q.verified && u.verified).toBe(true);
  expect(u.harts).toBe(q.harts);
  expect(u.checksum, `checksum unum vs QEMU (${path.basename(elf)} ${opts.append ?? ''}, ${opts.smp ?? 1} harts, ${opts.nodes ?? 1} node(s))`).toBe(q.checksum);
  return u;
}
