/**
 * vCPU benchmark: single-hart kernels (bench/guests) under unum and under
 * QEMU TCG, side by side in one run, alternating which goes first.
 *
 * MIPS = instructions / seconds of the timed region. The instruction count is
 * unum's exact instret (the same ELF runs the same instruction stream on both,
 * checked by equal checksums); the seconds come from each side's guest mtime
 * ticks (10 MHz). Prints medians and the unum/QEMU ratio against the bar
 * (≥ 1/3, issue 19). Because wall time on a loaded 2-core machine mostly measures the
 * scheduler, it also gives MIPS per CPU-second: mean process CPU time (GNU
 * time) minus the mean of a no-work run of the same kernel. Writes
 * bench/results/vcpu.json (vcpu-linux.json for the Linux mode). Exits 0
 * unless a run breaks.
 *
 * Then the Linux mode (linux-mode.ts): the same kernels as Linux user
 * programs, all four in one boot per side, and the Linux bench's boot to
 * poweroff; UNUM_BENCH_LINUX_REPS boots per side (default 5).
 *
 *   npm run bench -- vcpu            (UNUM_BENCH_REPS=N to change the 5 reps;
 *                                     UNUM_BENCH_VCPU=bare|linux for one part)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGuest, type GuestRun, type Runner } from './guest-run.js';
import { linuxBoot, linuxKernels, type BareMetalRun, type LinuxBootRow, type LinuxKernelRow } from './linux-mode.js';
import { ENGINE_GOAL } from '../linux/boot-run.js';
import { spreadOf } from '@unum/lab';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BAR = 1 / 3;
const REPS = Number(process.env.UNUM_BENCH_REPS ?? 5);
const LINUX_REPS = Number(process.env.UNUM_BENCH_LINUX_REPS ?? 5);
const PART = process.env.UNUM_BENCH_VCPU ?? 'all';
if (!['all', 'bare', 'linux'].includes(PART)) throw new Error(`UNUM_BENCH_VCPU: bare, linux or all (got ${PART})`);

/** Work sizes chosen so one rep of all four takes ~15 s under unum; `base`
 * is the same program with (nearly) no timed work, for the CPU-time baseline. */
const KERNELS = [
  { name: 'alu', what: 'integer ALU + M (LCG, xorshift, rotate, div/rem)', bootargs: 'iters=8000000', base: 'iters=1' },
  { name: 'memchase', what: 'pointer chase + page-strided sum over 8 MiB', bootargs: 'size=8M laps=8 passes=2', base: 'size=8M laps=0 passes=0' },
  { name: 'fpmix', what: 'double add/mul/div/sqrt/fma/fcvt', bootargs: 'n=3000000', base: 'n=10000' },
  { name: 'qsort', what: 'quicksort + insertion sort of random keys', bootargs: 'n=200000 rounds=3', base: 'n=200000 rounds=0' },
] as const;
type Kernel = (typeof KERNELS)[number];
const BASE_REPS = 3;

/** one run of a kernel on each side */
interface Pair { ticks: Record<Runner, number>; cpu: Record<Runner, number>; instret: number; checksum: string }

const median = (xs: number[]): number => spreadOf(xs).median;

function check(runner: Runner, kernel: string, r: GuestRun): Record<string, string> {
  if (r.exitCode !== 0 || r.result?.verify !== 'ok') {
    throw new Error(`${kernel} under ${runner}: exit ${r.exitCode}, ${r.result ? `verify=${r.result.verify}` : 'no RESULT line'}\n${r.stdout}${r.stderr}`);
  }
  return r.result;
}

/** Runs the kernel under both, alternating which goes first; checksums must agree. */
async function pair(k: Kernel, bootargs: string, rep: number): Promise<Pair> {
  const spec = { elf: path.join(REPO, 'bench/guests/bin', `${k.name}.elf`), bootargs, mem: '256M' };
  const order: Runner[] = rep % 2 === 0 ? ['unum', 'qemu'] : ['qemu', 'unum'];
  const runs: Partial<Record<Runner, { result: Record<string, string>; cpu: number }>> = {};
  for (const runner of order) {
    const r = await runGuest(runner, REPO, spec);
    runs[runner] = { result: check(runner, k.name, r), cpu: r.cpuSeconds };
  }
  const u = runs.unum!, q = runs.qemu!;
  if (u.result.checksum !== q.result.checksum) throw new Error(`${k.name}: checksum unum ${u.result.checksum} != QEMU ${q.result.checksum}`);
  return { ticks: { unum: Number(u.result.ticks), qemu: Number(q.result.ticks) }, cpu: { unum: u.cpu, qemu: q.cpu },
    instret: Number(u.result.instret), checksum: u.result.checksum! };
}

const TBFREQ = 10_000_000;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function measure(k: Kernel) {
  const pairs: Pair[] = [];
  for (let rep = 0; rep < REPS; rep++) pairs.push(await pair(k, k.bootargs, rep));
  const base: Pair[] = [];
  for (let rep = 0; rep < BASE_REPS; rep++) base.push(await pair(k, k.base, rep));
  const instret = pairs[0].instret;
  if (pairs.some((p) => p.instret !== instret)) throw new Error(`${k.name}: unum instret differs between runs`);
  const side = (r: Runner) => {
    const wallMips = median(pairs.map((p) => instret / (p.ticks[r] / TBFREQ) / 1e6));
    // means, not medians: CPU time comes in 10 ms ticks, and the mean of quantised samples is unbiased
    const cpuSeconds = mean(pairs.map((p) => p.cpu[r])) - mean(base.map((p) => p.cpu[r]));
    return { wallMips, cpuMips: instret / cpuSeconds / 1e6, wallSeconds: pairs.map((p) => p.ticks[r] / TBFREQ),
      cpuSeconds: pairs.map((p) => p.cpu[r]), baseCpuSeconds: base.map((p) => p.cpu[r]) };
  };
  const unum = side('unum'), qemu = side('qemu');
  const ratio = unum.wallMips / qemu.wallMips, cpuRatio = unum.cpuMips / qemu.cpuMips;
  return { kernel: k.name, what: k.what, bootargs: k.bootargs, instret, checksum: pairs[0].checksum, unum, qemu, ratio, pass: ratio >= BAR, cpuRatio,
    cpuPass: cpuRatio >= BAR };
}

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

const f3 = (v: number): string => v.toFixed(3);

async function bareMetal(): Promise<Awaited<ReturnType<typeof measure>>[]> {
  console.log(`vCPU MIPS, unum vs qemu-system-riscv64 (TCG), ${REPS} reps alternating, medians; bar: unum >= 1/3 x QEMU`);
  console.log('wall: instructions / guest mtime of the timed region (median); ' +
    'cpu: instructions / (mean process CPU time - mean no-work run), 10 ms resolution');
  const rows = [];
  for (const k of KERNELS) {
    const r = await measure(k);
    rows.push(r);
    console.log(`${k.name.padEnd(9)} wall: unum ${r.unum.wallMips.toFixed(1)} qemu ${r.qemu.wallMips.toFixed(1)} ratio ${r.ratio.toFixed(3)} ` +
      `${verdict(r.pass)} | cpu: unum ${r.unum.cpuMips.toFixed(1)} qemu ${r.qemu.cpuMips.toFixed(1)} ratio ${r.cpuRatio.toFixed(3)} ${verdict(r.cpuPass)}`);
  }
  console.log('\n| kernel | instructions | unum MIPS | QEMU MIPS | unum/QEMU | bar 1/3 | unum MIPS (CPU) | QEMU MIPS (CPU) | unum/QEMU (CPU) |');
  console.log('|---|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.kernel} | ${(r.instret / 1e6).toFixed(1)} M | ${r.unum.wallMips.toFixed(1)} | ${r.qemu.wallMips.toFixed(1)} | ` +
      `${r.ratio.toFixed(3)} | ${verdict(r.pass)} | ${r.unum.cpuMips.toFixed(1)} | ${r.qemu.cpuMips.toFixed(1)} | ` +
      `${r.cpuRatio.toFixed(3)} ${verdict(r.cpuPass)} |`);
  }
  return rows;
}

async function linuxMode(bare: ReadonlyMap<string, BareMetalRun>): Promise<{ kernels: LinuxKernelRow[]; boot: LinuxBootRow }> {
  console.log(`\nLinux mode: the kernels as Linux user programs, one boot per side per rep (1 vCPU, 256M), ${LINUX_REPS} reps alternating, medians`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'unum-bench-vcpu-linux-'));
  try {
    const kernels = await linuxKernels(KERNELS, LINUX_REPS, BAR, bare, tmp);
    console.log('Linux boot to poweroff (the Linux bench\'s boot: 4 vCPUs, 256M, matmul n=32), unum 1 node vs QEMU');
    const boot = await linuxBoot(LINUX_REPS, tmp);
    console.log('\ntime: the program\'s clock_gettime around the timed region; instructions: unum\'s instret of the region (median)');
    console.log('| Linux mode | instructions | unum s | QEMU s | unum MIPS | QEMU MIPS | unum/QEMU | bar 1/3 |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of kernels) {
      console.log(`| ${r.kernel} | ${(r.instret / 1e6).toFixed(1)} M | ${f3(r.unumS)} | ${f3(r.qemuS)} | ${r.unumMips.toFixed(1)} | ` +
        `${r.qemuMips.toFixed(1)} | ${f3(r.ratio)} | ${verdict(r.pass)} |`);
    }
    console.log('\n| Linux boot to poweroff, 1 node | unum s | QEMU s | unum/QEMU wall | goal | unum CPU s | QEMU CPU s | unum/QEMU CPU |');
    console.log('|---|---:|---:|---:|---|---:|---:|---:|');
    console.log(`| 4 vCPUs, matmul n=32 | ${boot.unumS.toFixed(2)} | ${boot.qemuS.toFixed(2)} | ${boot.ratio.toFixed(2)}x | ` +
      `<= ${ENGINE_GOAL}x ${boot.met ? 'met' : 'not met'} | ${boot.unumCpuS.toFixed(2)} | ${boot.qemuCpuS.toFixed(2)} | ${boot.cpuRatio.toFixed(2)}x |`);
    return { kernels, boot };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Each part writes its own file, so running one part leaves the other's last results. */
function write(name: string, body: Record<string, unknown>, loadBefore: number[]): void {
  const file = path.join(REPO, 'bench/results', name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...body, bar: BAR,
    loadavgBefore: loadBefore, loadavgAtEnd: os.loadavg()[0] }, null, 2) + '\n');
  console.log(`wrote ${path.relative(REPO, file)}`);
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const rows = PART === 'linux' ? [] : await bareMetal();
  if (PART !== 'linux') write('vcpu.json', { reps: REPS, baseReps: BASE_REPS, kernels: rows }, loadBefore);
  if (PART !== 'bare') {
    const linux = await linuxMode(new Map(rows.map((r) => [r.kernel, { checksum: r.checksum, instret: r.instret }])));
    write('vcpu-linux.json', { reps: LINUX_REPS, kernels: linux.kernels, boot: linux.boot }, loadBefore);
  }
  console.log(`load average (1 min): ${loadBefore[0]!.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.cpus().length} cores`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
