/**
 * io benchmark (issue 15): the committed Linux guest doing block and network
 * I/O, side by side in one run with QEMU, same kernel, same initramfs, same
 * disk image (a fresh raw file per boot), same flags:
 *   - QEMU TCG: -drive if=none,file=IMG,format=raw,id=d -device virtio-blk-device,drive=d
 *               -netdev tap,id=n,ifname=utap0,script=no,downscript=no -device virtio-net-device,netdev=n
 *   - unum 1 node: --drive file=IMG,format=raw --netdev tap,ifname=utap0
 *   - unum 2 nodes, --device-node 0, the I/O pinned (cpu=) to hart 0 (node 0, the device's node)
 *     and to hart 1 (node 1: every MMIO access forwarded, every DMA through the DSM)
 * each VM in a network namespace of its own with a TAP whose host side runs
 * guest/linux/io/netio-peer.mjs. The guest runs diskio (sequential and
 * random 4 KiB writes and reads on /dev/vda, O_DIRECT) and netio (64-byte
 * TCP request/response, bulk send and receive) and prints RESULT lines.
 * DSM messages and bytes per I/O come from the dashboard's /metrics read
 * around each test (docs/net.md says how the idle traffic is subtracted).
 * Medians of UNUM_BENCH_REPS boots (default 3), configurations interleaved
 * (UNUM_BENCH_IO_CONFIGS=1,3 picks some beside QEMU);
 * ratios to QEMU; load average before and after. Writes bench/results/io.json.
 *   npm run bench -- io          (root: network namespaces, a TAP)
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseResultLine, spreadOf, TapLab } from '@unum/lab';
import { readDsmCount, type DsmCount } from './dsm-counters.js';
import { DEFAULT_SIZES, guestScript, IDLE_SECONDS, ioTests, markerOf, type IoTest } from './io-script.js';
import { bootCommand } from '../linux/boot-run.js';
import { IMAGE, INITRD, REPO } from '../linux-files.js';

const REPS = Number(process.env.UNUM_BENCH_REPS ?? 3);
const VCPUS = 2;
const MEM = '256M';
const DISK_BYTES = 32 << 20;
const TIMEOUT_MS = 1_800_000;
const DASHBOARD = '127.0.0.1:7780';
/** Wait after a marker before reading /metrics: its counters are up to 0.5 s old. */
const SETTLE_MS = 600;

interface Config { label: string; kind: 'qemu' | 'unum'; nodes: number; cpu: number }
const ALL_CONFIGS: Config[] = [
  { label: 'QEMU', kind: 'qemu', nodes: 1, cpu: 0 },
  { label: 'unum 1 node', kind: 'unum', nodes: 1, cpu: 0 },
  { label: 'unum 2 nodes, I/O on node 0', kind: 'unum', nodes: 2, cpu: 0 },
  { label: 'unum 2 nodes, I/O on node 1', kind: 'unum', nodes: 2, cpu: 1 },
];
/** UNUM_BENCH_IO_CONFIGS=0,3 runs a subset (QEMU, index 0, always runs: it is the baseline). */
const CONFIGS = ALL_CONFIGS.filter((_, i) => i === 0 || (process.env.UNUM_BENCH_IO_CONFIGS?.split(',').map(Number).includes(i) ?? true));

interface TestSample { value: number; secs: number; dsmMessages?: number; dsmBytes?: number }
type BootSample = Record<string, TestSample>;

function command(c: Config, lab: TapLab, disk: string, script: string): string[] {
  return bootCommand({ label: c.label, kind: c.kind, nodes: c.nodes, vcpus: VCPUS, mem: MEM, run: script,
    qemuArgs: ['-drive', `if=none,file=${disk},format=raw,id=d`, '-device', 'virtio-blk-device,drive=d',
      '-netdev', `tap,id=n,ifname=${lab.ifname},script=no,downscript=no`, '-device', 'virtio-net-device,netdev=n'],
    unumArgs: [...(c.nodes > 1 ? ['--device-node', '0'] : []), '--drive', `file=${disk},format=raw`, '--netdev', `tap,ifname=${lab.ifname}`,
      '--dashboard', DASHBOARD] });
}

function freshDisk(file: string): void {
  rmSync(file, { force: true });
  const fd = openSync(file, 'w');
  ftruncateSync(fd, DISK_BYTES);
  closeSync(fd);
}

/** One boot: every test's figure and, for unum, the DSM traffic of its window less the idle rate. */
function boot(c: Config, lab: TapLab, tests: readonly IoTest[], disk: string): Promise<BootSample> {
  freshDisk(disk);
  const argv = lab.argv(command(c, lab, disk, guestScript(tests, lab.guestUp(), c.cpu)));
  const reads = new Map<string, Promise<DsmCount>>();
  const results = new Map<string, ReturnType<typeof parseResultLine>>();
  let current = '';
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    child.stdin.end();
    let pending = '';
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      pending += d.toString();
      const lines = pending.split(/\r?\n/);
      pending = lines.pop()!;
      for (const line of lines) {
        const mark = markerOf(line);
        if (mark) {
          current = mark.name;
          if (c.kind === 'unum' && c.nodes > 1) {
            const key = `${mark.edge} ${mark.name}`;
            const read = new Promise((r) => setTimeout(r, SETTLE_MS)).then(() => readDsmCount(lab.ns, `http://${DASHBOARD}/metrics`));
            read.catch(() => {}); // awaited (and reported) once the boot ends
            reads.set(key, read);
          }
        } else if (line.startsWith('RESULT ')) results.set(current, parseResultLine(line));
      }
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', async (status) => {
      clearTimeout(timer);
      try {
        const bad = tests.filter((t) => !results.get(t.name)?.verified);
        if (status !== 0 || bad.length > 0) throw new Error(`${c.label}: exit ${status}, no verified RESULT for ${bad.map((t) => t.name).join(', ') || '-'}\n${out.slice(-3000)}\n${err.slice(-2000)}`);
        const window = async (name: string): Promise<{ m: number; b: number; s: number } | undefined> => {
          const [a, z] = [reads.get(`begin ${name}`), reads.get(`end ${name}`)];
          if (!a || !z) return undefined;
          const [x, y] = await Promise.all([a, z]);
          return { m: y.messages - x.messages, b: y.bytes - x.bytes, s: (y.at - x.at) / 1000 };
        };
        const idle = await window('idle');
        const sample: BootSample = {};
        for (const t of tests) {
          const r = results.get(t.name)!;
          const secs = Number(r.int('ticks')) / Number(r.int('tbfreq'));
          const s: TestSample = { value: Number(r.fields[t.field]), secs };
          const w = await window(t.name);
          if (w && idle) {
            // the window also holds ~2 s of sleep around the test: take away the idle guest's traffic for that time
            const extra = Math.max(0, w.s - secs);
            s.dsmMessages = Math.max(0, w.m - (idle.m / idle.s) * extra) / t.ios;
            s.dsmBytes = Math.max(0, w.b - (idle.b / idle.s) * extra) / t.ios;
          }
          sample[t.name] = s;
        }
        resolve(sample);
      } catch (e) {
        reject(e);
      }
    });
  });
}

const median = (xs: number[]): number => spreadOf(xs).median;
const loadavg = (l = os.loadavg()): string => l.map((x) => x.toFixed(1)).join(' ');
const pad = (cells: string[], widths: number[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(pad(head, w));
  for (const r of rows) console.log(pad(r, w));
}

async function main(): Promise<void> {
  for (const f of [IMAGE, INITRD]) if (!existsSync(f)) throw new Error(`${f} missing`);
  if (spawnSync('qemu-system-riscv64', ['--version']).status !== 0) throw new Error('qemu-system-riscv64 not found');
  const problem = TapLab.problem();
  if (problem) throw new Error(`the io bench ${problem}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'unum-bench-io-'));
  const disk = path.join(tmp, 'disk.img');
  const lab = TapLab.open('iobench');
  const tests = ioTests(DEFAULT_SIZES, '/dev/vda', lab.hostAddr);
  const loadBefore = os.loadavg();
  console.log(`io: Linux 6.1, ${VCPUS} vCPUs, ${MEM}, raw ${DISK_BYTES >> 20} MiB disk, TAP ${lab.ifname} in ${lab.ns}; ` +
    `${REPS} rep(s), medians; ${os.cpus().length} CPUs, load average ${loadavg()}`);
  const samples: BootSample[][] = CONFIGS.map(() => []);
  try {
    await lab.startPeer(5201, TIMEOUT_MS / 1000);
    for (let rep = 0; rep < REPS; rep++) {
      const order = rep % 2 === 0 ? CONFIGS.map((_, i) => i) : CONFIGS.map((_, i) => CONFIGS.length - 1 - i);
      for (const i of order) {
        const started = performance.now();
        const s = await boot(CONFIGS[i]!, lab, tests, disk);
        samples[i]!.push(s);
        console.log(`  rep ${rep + 1} ${CONFIGS[i]!.label}: ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
          tests.map((t) => `${t.name} ${fmt(s[t.name]!.value)}`).join(', ') + ` (load ${loadavg()})`);
      }
    }
  } finally {
    lab.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg();
  const med = samples.map((boots) => Object.fromEntries(tests.map((t) => {
    const xs = boots.map((b) => b[t.name]!);
    const opt = (f: (s: TestSample) => number | undefined): number | undefined =>
      (xs.every((x) => f(x) !== undefined) ? median(xs.map((x) => f(x)!)) : undefined);
    return [t.name, { value: median(xs.map((x) => x.value)), dsmMessages: opt((x) => x.dsmMessages), dsmBytes: opt((x) => x.dsmBytes) }];
  })));

  console.log(`\nthroughput (medians; x = / QEMU)`);
  table(['test', 'unit', ...CONFIGS.flatMap((c, i) => (i === 0 ? [c.label] : [c.label, 'x']))],
    tests.map((t) => [t.name, t.unit, ...CONFIGS.flatMap((_, i) => {
      const v = med[i]![t.name]!.value;
      return i === 0 ? [fmt(v)] : [fmt(v), (v / med[0]![t.name]!.value).toFixed(3)];
    })]));
  console.log(`\nDSM traffic per I/O (window around each test less the idle guest's rate; 1 node has no DSM)`);
  const dsmConfigs = CONFIGS.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'unum' && c.nodes > 1);
  table(['test', 'I/O', ...dsmConfigs.flatMap(({ c }) => [`${c.label}: msgs`, 'KB'])],
    tests.map((t) => [t.name, t.io, ...dsmConfigs.flatMap(({ i }) => {
      const m = med[i]![t.name]!;
      return [m.dsmMessages === undefined ? '-' : fmt(m.dsmMessages), m.dsmBytes === undefined ? '-' : fmt(m.dsmBytes / 1000)];
    })]));
  console.log(`load average: before ${loadavg(loadBefore)}, after ${loadavg(loadAfter)}`);

  const results = {
    machine: { cpus: os.cpus().length, node: process.version }, reps: REPS, vcpus: VCPUS, mem: MEM, diskBytes: DISK_BYTES,
    sizes: DEFAULT_SIZES, idleSeconds: IDLE_SECONDS, loadavg: { before: loadBefore, after: loadAfter },
    tests: tests.map((t) => ({ name: t.name, cmd: t.cmd, unit: t.unit, ios: t.ios, io: t.io })),
    configs: Object.fromEntries(CONFIGS.map((c, i) => [c.label, { ...c, median: med[i], samples: samples[i] }])),
  };
  mkdirSync(path.join(REPO, 'bench/results'), { recursive: true });
  writeFileSync(path.join(REPO, 'bench/results/io.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwrote bench/results/io.json');
}

await main();
