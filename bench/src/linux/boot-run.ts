/**
 * One boot of the committed Linux guest to poweroff, under QEMU TCG
 * (`-bios default`: OpenSBI fw_dynamic, ttyS0) or unum (`--bios none`: the
 * built-in SBI, hvc0; 1 or more nodes), same Image, initrd, vCPUs and memory,
 * running `unum.run="RUN"`. Returns the wall time to "Run /init" and to exit,
 * the process tree's CPU time (GNU time), every RESULT line (each must
 * verify) and, for unum, the --stats counters. Shared by the Linux bench
 * (boot part) and the vCPU bench (Linux mode).
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseResultLine, type ResultLine } from '@unum/lab';
import { timedChild } from './timed-child.js';
import { IMAGE, INITRD, REPO, UNUM } from '../linux-files.js';

export interface BootConfig {
  label: string;
  kind: 'qemu' | 'unum';
  nodes?: number;
  vcpus: number;
  mem: string;
  /** The guest's command (no double quotes inside). */
  run: string;
  /** Default: the committed initramfs. */
  initrd?: string;
  /** Devices and other flags of one side, before the kernel command line. */
  qemuArgs?: string[];
  unumArgs?: string[];
}

export interface BootSample {
  initMs: number; exitMs: number; cpuS: number;
  results: ResultLine[];
  instret?: number; faults?: number; messages?: number; bytes?: number;
}

export const TIME = '/usr/bin/time';
const TIMEOUT_MS = 900_000;
const INIT_LINE = 'Run /init as init process';

/** The command line of one side; unum writes its counters to `statsFile` when given. */
export function bootCommand(c: BootConfig, statsFile?: string): string[] {
  const initrd = c.initrd ?? INITRD;
  if (c.kind === 'qemu') {
    return ['qemu-system-riscv64', '-M', 'virt', '-smp', String(c.vcpus), '-m', c.mem, '-nographic', '-bios', 'default',
      '-kernel', IMAGE, '-initrd', initrd, ...(c.qemuArgs ?? []), '-append', `console=ttyS0 unum.run="${c.run}"`];
  }
  return [process.execPath, UNUM, 'run', '--kernel', IMAGE, '--initrd', initrd, '--vcpus', String(c.vcpus), '--mem', c.mem,
    ...((c.nodes ?? 1) > 1 ? ['--nodes', String(c.nodes)] : []), ...(c.unumArgs ?? []),
    ...(statsFile ? ['--stats', statsFile] : []), '--append', `console=hvc0 unum.run="${c.run}"`];
}

/** `tmp` is a scratch directory for the stats and time files. */
export async function bootOnce(c: BootConfig, tmp: string): Promise<BootSample> {
  const statsFile = path.join(tmp, 'stats.json');
  const timeFile = path.join(tmp, 'time.txt');
  rmSync(statsFile, { force: true });
  const argv = [TIME, '-f', '%U %S', '-o', timeFile, ...bootCommand(c, statsFile)];
  const { status, out, err, exitMs, markMs: initMs } = await timedChild(argv, { cwd: REPO, timeoutMs: TIMEOUT_MS, mark: INIT_LINE });
  const results = out.split(/\r?\n/).filter((l) => l.startsWith('RESULT ')).map(parseResultLine);
  if (status !== 0 || results.length === 0 || results.some((r) => !r.verified)) {
    throw new Error(`${c.label}: exit ${status}, ${results.length} RESULT line(s)\n${out.slice(-2000)}\n${err.slice(-2000)}`);
  }
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number];
  const s: BootSample = { initMs, exitMs, cpuS: user + sys, results };
  if (c.kind === 'unum') {
    const st = JSON.parse(readFileSync(statsFile, 'utf8')) as { totals: { readFaults: number; writeFaults: number; messages: number; bytes: number; instret: string } };
    Object.assign(s, { instret: Number(st.totals.instret), faults: st.totals.readFaults + st.totals.writeFaults, messages: st.totals.messages, bytes: st.totals.bytes });
  }
  return s;
}

/** The Linux bench's boot: 4 vCPUs, 256M, a small matmul, then poweroff. */
export const STANDARD_BOOT = { vcpus: 4, mem: '256M', run: 'matmul n=32' } as const;
/** Issue 19's goal for that boot on one node: wall time <= 2x QEMU's. */
export const ENGINE_GOAL = 2;
