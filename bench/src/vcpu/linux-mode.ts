/**
 * The vCPU bench's Linux mode (issue 19): the same four kernels as Linux user
 * programs (guest/linux/make-bench-initrd.sh appends them, built from
 * bench/guests/*.c, to the committed initramfs), all four in one boot of
 * 1 vCPU per side, under QEMU TCG and unum on one node with the same Image,
 * initrd, vCPUs, memory and work (each side's usual firmware and console,
 * as in the Linux bench); plus the Linux bench's boot to poweroff. Both go through
 * bench/src/linux's boot runner. Time is each program's own clock_gettime
 * around the timed region; the instruction count is unum's instret of the
 * region (rdinstret in U-mode, which unum allows; it includes the kernel's
 * interrupt handling during the region; QEMU's TCG instret is not a count). Checksums must equal
 * QEMU's, and the bare-metal run's when it ran.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { spreadOf, type ResultLine } from '@unum/lab';
import { bootOnce, ENGINE_GOAL, STANDARD_BOOT, type BootConfig, type BootSample } from '../linux/boot-run.js';
import { REPO } from '../linux-files.js';

export interface KernelWork { name: string; bootargs: string }
/** What the bare-metal part measured for a kernel, when it ran. */
export interface BareMetalRun { checksum: string; instret: number }

export interface LinuxKernelRow {
  kernel: string; instret: number; unumS: number; qemuS: number; unumMips: number; qemuMips: number; ratio: number; pass: boolean;
  samples: { unumS: number[]; qemuS: number[]; instret: number[] };
}
export interface LinuxBootRow { unumS: number; qemuS: number; ratio: number; unumCpuS: number; qemuCpuS: number; cpuRatio: number; met: boolean;
  samples: { unumS: number[]; qemuS: number[] } }

const median = (xs: number[]): number => spreadOf(xs).median;
const seconds = (r: ResultLine): number => Number(r.int('ticks')) / Number(r.int('tbfreq'));

/** Builds the initrd with the kernels appended; one clear error if the tools are missing. */
function benchInitrd(dir: string): string {
  const out = path.join(dir, 'bench-initrd.img');
  const r = spawnSync(path.join(REPO, 'guest/linux/make-bench-initrd.sh'), [out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`guest/linux/make-bench-initrd.sh failed (exit ${r.status}): ${r.stderr.trim()}`);
  return out;
}

/** Boots each side once per rep, alternating which goes first; one log line per boot. */
async function sideBySide(sides: BootConfig[], reps: number, tmp: string, describe: (s: BootSample) => string): Promise<Record<BootConfig['kind'], BootSample[]>> {
  const boots: Record<BootConfig['kind'], BootSample[]> = { unum: [], qemu: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const c of rep % 2 === 0 ? sides : [...sides].reverse()) {
      const s = await bootOnce(c, tmp);
      boots[c.kind].push(s);
      console.log(`  rep ${rep + 1} ${c.label}: ${describe(s)} (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
  }
  return boots;
}

/** Every kernel in each boot, one boot per side per rep; `tmp` is a scratch directory. */
export async function linuxKernels(kernels: readonly KernelWork[], reps: number, bar: number,
  bareMetal: ReadonlyMap<string, BareMetalRun>, tmp: string): Promise<LinuxKernelRow[]> {
  const initrd = benchInitrd(tmp);
  const run = kernels.map((k) => `${k.name} ${k.bootargs}`).join('; ');
  const sides: BootConfig[] = [
    { label: 'unum 1 node, Linux mode', kind: 'unum', vcpus: 1, mem: '256M', run, initrd },
    { label: 'QEMU, Linux mode', kind: 'qemu', vcpus: 1, mem: '256M', run, initrd },
  ];
  const boots = await sideBySide(sides, reps, tmp, (s) =>
    `${s.results.map((r) => `${r.name} ${seconds(r).toFixed(3)} s`).join(', ')} (boot to poweroff ${(s.exitMs / 1000).toFixed(1)} s)`);
  return kernels.map((k) => {
    const pick = (side: BootSample[]): ResultLine[] => side.map((b) => {
      const r = b.results.find((x) => x.name === k.name);
      if (!r) throw new Error(`Linux mode: no RESULT line for ${k.name}`);
      return r;
    });
    const u = pick(boots.unum), q = pick(boots.qemu);
    const sums = new Set([...u, ...q].map((r) => r.checksum));
    const bare = bareMetal.get(k.name);
    if (sums.size !== 1 || (bare !== undefined && !sums.has(bare.checksum))) {
      throw new Error(`${k.name} in Linux mode: checksums ${[...sums].join(' ')} (bare metal ${bare?.checksum ?? 'not run'})`);
    }
    // 0 when U-mode may not read instret (counters.c probes it): then the bare-metal count
    const instrets = u.map((r) => Number(r.int('instret')));
    const instret = instrets.every((i) => i > 0) ? median(instrets) : bare?.instret;
    if (instret === undefined) throw new Error(`${k.name}: no instret in U-mode under unum and no bare-metal run to take it from`);
    const unumS = median(u.map(seconds)), qemuS = median(q.map(seconds));
    const ratio = qemuS / unumS;
    return { kernel: k.name, instret, unumS, qemuS, unumMips: instret / unumS / 1e6, qemuMips: instret / qemuS / 1e6, ratio,
      pass: ratio >= bar, samples: { unumS: u.map(seconds), qemuS: q.map(seconds), instret: instrets } };
  });
}

/** The Linux bench's boot to poweroff (STANDARD_BOOT), unum 1 node and QEMU, alternating. */
export async function linuxBoot(reps: number, tmp: string): Promise<LinuxBootRow> {
  const sides: BootConfig[] = [
    { label: 'unum 1 node, boot', kind: 'unum', ...STANDARD_BOOT },
    { label: 'QEMU, boot', kind: 'qemu', ...STANDARD_BOOT },
  ];
  const boots = await sideBySide(sides, reps, tmp, (s) => `poweroff ${(s.exitMs / 1000).toFixed(2)} s, cpu ${s.cpuS.toFixed(2)} s`);
  const wall = (b: BootSample[]): number[] => b.map((s) => s.exitMs / 1000);
  const unumS = median(wall(boots.unum)), qemuS = median(wall(boots.qemu));
  const unumCpuS = median(boots.unum.map((s) => s.cpuS)), qemuCpuS = median(boots.qemu.map((s) => s.cpuS));
  return { unumS, qemuS, ratio: unumS / qemuS, unumCpuS, qemuCpuS, cpuRatio: unumCpuS / qemuCpuS, met: unumS / qemuS <= ENGINE_GOAL,
    samples: { unumS: wall(boots.unum), qemuS: wall(boots.qemu) } };
}
