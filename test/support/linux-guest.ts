/**
 * The committed Linux guest (guest/linux/out: Image + initramfs) for the
 * suites that boot it: its files, QEMU's boot of it (OpenSBI, ttyS0), the
 * one `unum.run=` script that runs every tiny workload, the RESULT lines of a
 * boot, and an interactive console session (a shell driven over stdin).
 * Shared by linux-qemu.test.ts and linux-unum.test.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { GUEST_DIR } from '../guest/guest-paths.js';
import { runQemu, type QemuRunResult } from './qemu.js';
import { parseResultLine, type ResultLine } from './result-line.js';
import { TINY_WORKLOADS } from './tiny-workloads.js';

export const LINUX_OUT = path.join(GUEST_DIR, 'linux', 'out');
export const LINUX_IMAGE = path.join(LINUX_OUT, 'Image');
export const LINUX_INITRD = path.join(LINUX_OUT, 'initramfs.cpio.gz');

/** The first missing guest file, or undefined when both are there. */
export const linuxGuestMissing = (): string | undefined => [LINUX_IMAGE, LINUX_INITRD].find((f) => !existsSync(f));

/** Every tiny workload, one after the other, as one `unum.run=` command (no double quotes inside). */
export const ALL_WORKLOADS_RUN = TINY_WORKLOADS.map((w) => `${w.name} ${w.append}`).join('; ');

/** A shell loop printing `topo nodeN cpus=<cpulist> Node N MemTotal: <kB> kB` for each NUMA node in sysfs. */
export const NUMA_TOPOLOGY_RUN =
  'for d in /sys/devices/system/node/node*; do echo topo ${d##*/} cpus=$(cat $d/cpulist) $(grep MemTotal $d/meminfo); done';

export interface NodeTopology { node: number; cpus: string; memKb: number }

/** The `topo` lines NUMA_TOPOLOGY_RUN printed, in node order. */
export function topologyOf(stdout: string): NodeTopology[] {
  return [...stdout.matchAll(/^topo node(\d+) cpus=(\S*) Node \d+ MemTotal:\s+(\d+) kB/gm)]
    .map((m) => ({ node: Number(m[1]), cpus: m[2]!, memKb: Number(m[3]) }));
}

/** The kernel's `node N: [mem A-B]` lines ("Early memory node ranges"), as [A, B] per node. */
export function memoryRangesOf(stdout: string): Array<[bigint, bigint]> {
  return [...stdout.matchAll(/^\s*node\s+(\d+): \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/gm)]
    .map((m) => [BigInt(m[2]!), BigInt(m[3]!)]);
}

export const resultLines = (stdout: string): ResultLine[] =>
  stdout.split(/\r?\n/).filter((l) => l.startsWith('RESULT ')).map(parseResultLine);

/** Boots the Linux guest under QEMU: runQemu is the bare-metal runner
 * (-bios none); QEMU takes the last -bios, so the extra one loads OpenSBI
 * under the Image. `run` goes in double quotes (guest/linux/README.md). */
export function bootLinuxQemu(run: string, smp: number, timeoutMs = 45_000, initrd = LINUX_INITRD): Promise<QemuRunResult> {
  return runQemu(LINUX_IMAGE, {
    smp,
    memory: '256M',
    append: `console=ttyS0 unum.run="${run}"`,
    extraArgs: ['-bios', 'default', '-initrd', initrd],
    timeoutMs,
  });
}

export interface ConsoleSession {
  /** everything the guest printed so far */
  readonly output: () => string;
  /** resolves once the output (after `from`, an offset) matches; rejects on exit or timeout */
  waitFor(what: string | RegExp, timeoutMs: number, from?: number): Promise<number>;
  /** bytes to the guest's console */
  type(text: string): void;
  /** resolves with the exit status once the process ends (SIGKILL after timeoutMs) */
  exited(timeoutMs: number): Promise<{ status: number | null; stderr: string }>;
  kill(): void;
}

/** Starts a command whose stdin/stdout is a guest console, to drive it like a terminal. */
export function consoleSession(cmd: string, args: string[], cwd: string): ConsoleSession {
  const child = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let ended: { status: number | null } | undefined;
  const listeners = new Set<() => void>();
  const poke = (): void => { for (const l of [...listeners]) l(); };
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); poke(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdin.on('error', () => undefined);
  child.on('close', (status) => { ended = { status }; poke(); });
  return {
    output: () => out,
    waitFor(what, timeoutMs, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const rest = out.slice(from);
          const i = typeof what === 'string' ? rest.indexOf(what) : rest.search(what);
          if (i >= 0) { done(); resolve(from + i); } else if (ended) { done(); reject(new Error(`exited (${ended.status}) before ${String(what)}:\n${out}\n${err}`)); }
        };
        const timer = setTimeout(() => { done(); reject(new Error(`no ${String(what)} within ${timeoutMs} ms:\n${out}\n${err}`)); }, timeoutMs);
        const done = (): void => { clearTimeout(timer); listeners.delete(check); };
        listeners.add(check);
        check();
      });
    },
    type(text) { child.stdin.write(text); },
    exited(timeoutMs) {
      return new Promise((resolve) => {
        const finish = (): void => { if (ended) { clearTimeout(timer); listeners.delete(finish); resolve({ status: ended.status, stderr: err }); } };
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        listeners.add(finish);
        finish();
      });
    },
    kill() { child.kill('SIGKILL'); },
  };
}
