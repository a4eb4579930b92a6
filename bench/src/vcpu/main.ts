/**
 * vCPU benchmark: single-hart kernels (bench/guests) under unum and under
 * QEMU TCG, side by side in one run, alternating which goes first.
 *
 * MIPS = instructions / seconds of the timed region. The instruction count is
 * unum's exact instret (the same ELF runs the same instruction stream on both,
 * checked by equal checksums); the seconds come from each side's guest mtime
 * ticks (10 MHz). Prints medians and the unum/QEMU ratio against the bar
 * (≥ 1/10), writes bench/results/vcpu.json. Exits 0 unless a run breaks.
 *
 *   npm run bench -- vcpu            (UNUM_BENCH_REPS=N to change the 5 reps)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGuest, type GuestRun, type Runner } from './guest-run.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BAR = 0.1;
const REPS = Number(process.env.UNUM_BENCH_REPS ?? 5);

/** Work sizes chosen so one rep of all four takes ~15 s under unum. */
const KERNELS = [
  { name: 'alu', what: 'integer ALU + M (LCG, xorshift, rotate, div/rem)', bootargs: 'iters=8000000' },
  { name: 'memchase', what: 'pointer chase + page-strided sum over 8 MiB', bootargs: 'size=8M laps=8 passes=2' },
  { name: 'fpmix', what: 'double add/mul/div/sqrt/fma/fcvt', bootargs: 'n=3000000' },
  { name: 'qsort', what: 'quicksort + insertion sort of random keys', bootargs: 'n=200000 rounds=3' },
] as const;

interface Sample { unumTicks: number; qemuTicks: number; instret: number }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function check(runner: Runner, kernel: string, r: GuestRun): Record<string, string> {
  if (r.exitCode !== 0 || r.result?.verify !== 'ok') {
    throw new Error(`${kernel} under ${runner}: exit ${r.exitCode}, ${r.result ? `verify=${r.result.verify}` : 'no RESULT line'}\n${r.stdout}${r.stderr}`);
  }
  return r.result;
}

async function sample(k: (typeof KERNELS)[number], rep: number): Promise<Sample> {
  const spec = { elf: path.join(REPO, 'bench/guests/bin', `${k.name}.elf`), bootargs: k.bootargs, mem: '256M' };
  const order: Runner[] = rep % 2 === 0 ? ['unum', 'qemu'] : ['qemu', 'unum'];
  const out: Partial<Record<Runner, Record<string, string>>> = {};
  for (const runner of order) out[runner] = check(runner, k.name, await runGuest(runner, REPO, spec));
  const u = out.unum!, q = out.qemu!;
  if (u.checksum !== q.checksum) throw new Error(`${k.name}: checksum unum ${u.checksum} != QEMU ${q.checksum}`);
  return { unumTicks: Number(u.ticks), qemuTicks: Number(q.ticks), instret: Number(u.instret) };
}

const mips = (instret: number, ticks: number, tbfreq = 10_000_000): number => instret / (ticks / tbfreq) / 1e6;

async function main(): Promise<void> {
  console.log(`vCPU MIPS, unum vs qemu-system-riscv64 (TCG), ${REPS} reps, medians; bar: unum >= ${BAR} x QEMU`);
  const rows = [];
  for (const k of KERNELS) {
    const samples: Sample[] = [];
    for (let rep = 0; rep < REPS; rep++) samples.push(await sample(k, rep));
    const instret = samples[0].instret;
    if (samples.some((s) => s.instret !== instret)) throw new Error(`${k.name}: unum instret differs between runs`);
    const unumMips = median(samples.map((s) => mips(instret, s.unumTicks)));
    const qemuMips = median(samples.map((s) => mips(instret, s.qemuTicks)));
    const ratio = unumMips / qemuMips;
    rows.push({ kernel: k.name, what: k.what, bootargs: k.bootargs, instret, unumMips, qemuMips, ratio, pass: ratio >= BAR,
      unumSeconds: samples.map((s) => s.unumTicks / 1e7), qemuSeconds: samples.map((s) => s.qemuTicks / 1e7) });
    const r = rows[rows.length - 1];
    console.log(`${k.name.padEnd(9)} unum ${unumMips.toFixed(1).padStart(7)} MIPS  qemu ${qemuMips.toFixed(1).padStart(7)} MIPS  ` +
      `ratio ${ratio.toFixed(3)}  ${r.pass ? 'PASS' : 'FAIL'}  (${(instret / 1e6).toFixed(1)} M instr)`);
  }
  console.log('\n| kernel | unum MIPS | QEMU MIPS | unum/QEMU | bar 1/10 |\n|---|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`| ${r.kernel} | ${r.unumMips.toFixed(1)} | ${r.qemuMips.toFixed(1)} | ${r.ratio.toFixed(3)} | ${r.pass ? 'PASS' : 'FAIL'} |`);
  }
  const file = path.join(REPO, 'bench/results/vcpu.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, reps: REPS, bar: BAR, kernels: rows }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(REPO, file)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
