/**
 * Linux benchmark (issue 14): the committed Linux guest (guest/linux/out:
 * Image + busybox initramfs) booted to init and to poweroff, side by side in
 * one run:
 *   - QEMU TCG, `-bios default` (OpenSBI fw_dynamic), console=ttyS0
 *   - unum on one node (in process; --bios none, the built-in SBI, hvc0)
 *   - unum on 2 and 4 nodes (embedded cluster of agent processes)
 * all with the same vCPU count (4), --mem 256M and the same
 * `unum.run="matmul n=32"`. Per run: wall time from the command to "Run
 * /init as init process" and to exit (poweroff, status 0), CPU time of the
 * process tree (user + sys, /usr/bin/time), and for unum the --stats
 * counters: instructions retired (all harts, idle loops included), DSM
 * faults, messages and bytes. Medians of UNUM_BENCH_REPS runs (default 3),
 * configurations interleaved; ratios to QEMU; the load average before and
 * after (the dev machine is shared). Bar: unum on 1 node, wall to poweroff
 * <= 3x QEMU's. Then issue 16's goals across nodes (goals.ts).
 * `UNUM_BENCH_LINUX=boot|goals` runs one part; `UNUM_BENCH_NODES=1` boots
 * unum on one node only. Writes bench/results/linux.json
 * (the boot part) and bench/results/linux-goals.json.
 *   npm run bench -- linux
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spreadOf } from '@unum/lab';
import { bootOnce, ENGINE_GOAL, STANDARD_BOOT, TIME, type BootConfig } from './boot-run.js';
import { runGoals } from './goals.js';
import { IMAGE, INITRD, REPO, UNUM } from '../linux-files.js';

const REPS = Number(process.env.UNUM_BENCH_REPS ?? 3);
const VCPUS = STANDARD_BOOT.vcpus;
const RUN = STANDARD_BOOT.run;
const BAR = 3;

/** unum's node counts beside QEMU: UNUM_BENCH_NODES (default 1,2,4; 1 alone is the bar's comparison). */
const NODE_COUNTS = (process.env.UNUM_BENCH_NODES ?? '1,2,4').split(',').map(Number);
if (!NODE_COUNTS.includes(1) || NODE_COUNTS.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) {
  throw new Error(`UNUM_BENCH_NODES: node counts 1..8 separated by commas, 1 among them (got ${process.env.UNUM_BENCH_NODES})`);
}
const CONFIGS: BootConfig[] = [
  { label: 'QEMU -bios default', kind: 'qemu', ...STANDARD_BOOT },
  ...NODE_COUNTS.map((n): BootConfig => ({ label: `unum ${n} node${n > 1 ? 's' : ''}`, kind: 'unum', nodes: n, ...STANDARD_BOOT })),
];

interface Sample {
  initMs: number; exitMs: number; cpuS: number;
  instret?: number; faults?: number; messages?: number; bytes?: number; checksum?: string;
}

async function once(c: BootConfig, tmp: string): Promise<Sample> {
  const { results, ...s } = await bootOnce(c, tmp);
  return { ...s, checksum: results[0]!.checksum };
}

const median = (xs: number[]): number => spreadOf(xs).median;
const loadavg = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const pad = (cells: string[], widths: number[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');

async function main(): Promise<void> {
  const part = process.env.UNUM_BENCH_LINUX ?? 'all';
  if (part !== 'goals') await bootPart();
  if (part !== 'boot') {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'unum-bench-linux-'));
    try {
      const goals = await runGoals({ repo: REPO, unum: UNUM, image: IMAGE, initrd: INITRD, reps: REPS, tmp });
      mkdirSync(path.join(REPO, 'bench/results'), { recursive: true });
      writeFileSync(path.join(REPO, 'bench/results/linux-goals.json'), `${JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, reps: REPS, ...goals }, null, 2)}\n`);
      console.log('\nwrote bench/results/linux-goals.json');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

async function bootPart(): Promise<void> {
  for (const f of [IMAGE, INITRD, TIME]) if (!existsSync(f)) throw new Error(`${f} missing`);
  if (spawnSync('qemu-system-riscv64', ['--version']).status !== 0) throw new Error('qemu-system-riscv64 not found');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'unum-bench-linux-'));
  const loadBefore = os.loadavg();
  console.log(`Linux 6.1 boot: ${VCPUS} vCPUs, 256M, unum.run="${RUN}"; ${REPS} rep(s), medians; ${os.cpus().length} CPUs, load average ${loadavg()}`);
  const samples: Sample[][] = CONFIGS.map(() => []);
  try {
    for (let rep = 0; rep < REPS; rep++) {
      const order = rep % 2 === 0 ? CONFIGS.map((_, i) => i) : CONFIGS.map((_, i) => CONFIGS.length - 1 - i);
      for (const i of order) {
        const s = await once(CONFIGS[i]!, tmp);
        samples[i]!.push(s);
        console.log(`  rep ${rep + 1} ${CONFIGS[i]!.label}: init ${(s.initMs / 1000).toFixed(1)} s, poweroff ${(s.exitMs / 1000).toFixed(1)} s, cpu ${s.cpuS.toFixed(1)} s (load ${loadavg()})`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg();
  const checksums = new Set(samples.flat().map((s) => s.checksum));
  if (checksums.size !== 1) throw new Error(`matmul checksums differ: ${[...checksums].join(' ')}`);

  const med = samples.map((ss) => ({
    initMs: median(ss.map((s) => s.initMs)), exitMs: median(ss.map((s) => s.exitMs)), cpuS: median(ss.map((s) => s.cpuS)),
    instret: ss[0]!.instret === undefined ? undefined : median(ss.map((s) => s.instret!)),
    faults: ss[0]!.faults === undefined ? undefined : median(ss.map((s) => s.faults!)),
    messages: ss[0]!.messages === undefined ? undefined : median(ss.map((s) => s.messages!)),
    bytes: ss[0]!.bytes === undefined ? undefined : median(ss.map((s) => s.bytes!)),
  }));
  const q = med[0]!;
  const head = ['', 'to init s', 'to poweroff s', 'x QEMU', 'CPU s', 'x QEMU', 'instret M', 'DSM faults', 'messages', 'MB sent'];
  const rows = CONFIGS.map((c, i) => {
    const m = med[i]!;
    const opt = (v: number | undefined, f: (v: number) => string): string => (v === undefined ? '-' : f(v));
    return [c.label, (m.initMs / 1000).toFixed(1), (m.exitMs / 1000).toFixed(1), (m.exitMs / q.exitMs).toFixed(1),
      m.cpuS.toFixed(1), (m.cpuS / q.cpuS).toFixed(1), opt(m.instret, (v) => (v / 1e6).toFixed(0)),
      opt(m.faults, String), opt(m.messages, String), opt(m.bytes, (v) => (v / 1e6).toFixed(1))];
  });
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(pad(head, w));
  for (const r of rows) console.log(pad(r, w));
  const one = med[CONFIGS.findIndex((c) => c.nodes === 1)]!;
  const oneNode = one.exitMs / q.exitMs;
  console.log(`load average: before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`bar: unum on 1 node, wall to poweroff <= ${BAR}x QEMU's: ${oneNode.toFixed(1)}x ${oneNode <= BAR ? 'PASS' : 'FAIL'} ` +
    `(CPU time ${(one.cpuS / q.cpuS).toFixed(1)}x); issue 19's goal <= ${ENGINE_GOAL}x: ${oneNode <= ENGINE_GOAL ? 'PASS' : 'FAIL'}`);

  const results = {
    machine: { cpus: os.cpus().length, node: process.version }, reps: REPS, vcpus: VCPUS, mem: '256M', run: RUN,
    loadavg: { before: loadBefore, after: loadAfter }, checksum: [...checksums][0],
    configs: Object.fromEntries(CONFIGS.map((c, i) => [c.label, { median: med[i], samples: samples[i] }])),
    bar: { maxRatio: BAR, oneNodeWallRatio: oneNode, oneNodeCpuRatio: one.cpuS / q.cpuS, met: oneNode <= BAR, engineGoal: ENGINE_GOAL, engineGoalMet: oneNode <= ENGINE_GOAL },
  };
  mkdirSync(path.join(REPO, 'bench/results'), { recursive: true });
  writeFileSync(path.join(REPO, 'bench/results/linux.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwrote bench/results/linux.json');
}

await main();
