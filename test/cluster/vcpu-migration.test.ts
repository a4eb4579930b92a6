// Live vCPU migration (issue 16 item 2d): a hart moves between node agents
// mid-run, by hand through the coordinator's MigrateVcpu RPC and by the
// --vcpu-migration fault-affinity policy.
// (1) matmul on 2 agents (real processes, standing cluster): harts moved
//     three times while it computes (once through `unum vm migrate`); the same checksum as QEMU and as a run
//     without moves, the guest's own instret count in line with it, and the
//     final hart -> node map in the stats.
//     t-sbi (built-in SBI) while its hart 1 moves: IPIs, remote fences, HSM
//     and WFI follow the hart.
// (2) pingpong on 2 nodes: each hart's faults are all served by the other
//     node; the policy puts both harts on one node and the faults drop.
// (3) a bad --vcpu-migration value: one line, exit 2.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { parseResultOutput } from '../support/result-line.js';
import { qemuUnavailableReason, runQemu } from '../support/qemu.js';
import { ALL_WORKLOADS_RUN, LINUX_IMAGE, LINUX_INITRD, bootLinuxQemu, linuxGuestMissing, resultLines } from '../support/linux-guest.js';
import { StandingCluster, type VmEvent } from './standing-cluster.js';
import { UNUM_BIN, clusterUnavailableReason, runUnum } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping the vCPU migration tests: ${skip}`);

interface VmInfo { vmId: string; state: string; hartNode: number[] }
interface Stats { hartNode: number[]; vcpuMigrations?: number; perNode: Array<{ harts: number[]; instret: Record<string, string> }>; totals: { readFaults: number; writeFaults: number } }

const slow = process.env.UNUM_SLOW ? linuxGuestMissing() : 'slow suite: set UNUM_SLOW=1 to boot Linux on 2 nodes with --vcpu-migration fault-affinity';
if (slow) console.warn(`skipping the Linux vCPU migration test: ${slow}`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const MATMUL = 'n=200 iters=4';

describe.skipIf(skip !== undefined)('vCPU migration', () => {
  let c: StandingCluster;
  const dir = mkdtempSync(join(tmpdir(), 'unum-migrate-'));
  beforeAll(async () => { c = await StandingCluster.start({ agents: 2 }); }, 60_000);
  afterAll(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  /** Run a guest on the cluster (2 vCPUs, one per agent); `during` runs once it has started. */
  async function runVm(guest: string, bootargs: string, during: (vmId: string, done: () => boolean) => Promise<void>,
    extra: Record<string, unknown> = {}): Promise<{ out: string; exit: { exitCode: number; stats: Stats } }> {
    const vm = await c.call<VmInfo>('createVm', {
      elf: readFileSync(guestElf(guest)), vcpus: 2, memBytes: 64 << 20, placement: 'rr', protocol: 'ivy-dynamic', unitBytes: 4096, bootargs, ...extra,
    });
    let out = '';
    let ended = false;
    const exit = new Promise<{ exitCode: number; stats: Stats }>((resolve, reject) => {
      const s = c.api.watchVm({ vmId: vm.vmId });
      s.on('data', (ev: VmEvent) => {
        if (ev.kind?.$case === 'console') out += Buffer.from(ev.kind.value).toString();
        if (ev.kind?.$case === 'exit') {
          ended = true;
          resolve(ev.kind.value as unknown as { exitCode: number; stats: Stats });
        }
      });
      s.on('error', reject);
    });
    await c.call<VmInfo>('startVm', { vmId: vm.vmId });
    await during(vm.vmId, () => ended || out.includes('RESULT'));
    const result = await exit;
    return { out, exit: result };
  }
  const matmul = (during: (vmId: string, done: () => boolean) => Promise<void>) => runVm('matmul', MATMUL, during);

  it('a hart moved mid-run by MigrateVcpu: same checksum as QEMU and as without moves, instret consistent', async () => {
    const still = await matmul(async () => undefined);
    expect(still.exit.exitCode, still.out).toBe(0);
    const plain = parseResultOutput(still.out);
    expect(still.exit.stats.vcpuMigrations ?? 0).toBe(0);

    const moves: Array<[hart: number, node: number, map: number[]]> = [[1, 0, [0, 0]], [1, 1, [0, 1]], [0, 1, [1, 1]]];
    const moved = await matmul(async (vmId, done) => {
      for (const [i, [hart, node, map]] of moves.entries()) {
        await sleep(150);
        expect(done(), 'the guest finished before the moves: make it run longer').toBe(false);
        if (i === 1) { // the CLI's `unum vm migrate` for one of them
          const { stdout } = await promisify(execFile)(process.execPath, [UNUM_BIN, 'vm', 'migrate', vmId, '--hart', String(hart), '--node', String(node),
            '--cluster', `127.0.0.1:${c.port}`], { env: { ...process.env, UNUM_TOKEN: c.token }, timeout: 60_000 });
          expect(stdout).toMatch(new RegExp(`^${vmId} running .*harts on ${map.join(',')} `));
        } else {
          const info = await c.call<VmInfo>('migrateVcpu', { vmId, hart, node });
          expect(info.hartNode).toEqual(map);
        }
      }
    });
    expect(moved.exit.exitCode, moved.out).toBe(0);
    const r = parseResultOutput(moved.out);
    expect(r.verified).toBe(true);
    expect(r.checksum).toBe(plain.checksum);
    const qemuSkip = qemuUnavailableReason();
    if (!qemuSkip) {
      const q = await runQemu(guestElf('matmul'), { smp: 2, append: MATMUL, timeoutMs: 120_000 });
      expect(parseResultOutput(q.stdout).checksum).toBe(r.checksum);
    }
    const s = moved.exit.stats;
    expect(s.vcpuMigrations).toBe(3);
    expect(s.hartNode).toEqual([1, 1]);
    expect(s.perNode.map((n) => [...n.harts])).toEqual([[], [0, 1]]);
    // instret travels with the hart: the guest's count over its run stays that of an unmoved run
    // (the harts' spinning at barriers varies it a little) and below what its harts retired in all.
    const total = Object.values(s.perNode[1]!.instret).reduce((a, v) => a + BigInt(v), 0n);
    expect(r.int('instret')).toBeGreaterThan(plain.int('instret') / 2n);
    expect(r.int('instret')).toBeLessThan(plain.int('instret') * 2n);
    expect(r.int('instret')).toBeLessThanOrEqual(total);
  }, 240_000);

  /** Makes `moves` ([hart, node]) 150 ms apart while the guest runs; `made` counts those made before it ended. */
  function mover(moves: ReadonlyArray<readonly [number, number]>): { made: () => number; during: (vmId: string, done: () => boolean) => Promise<void> } {
    let made = 0;
    return {
      made: () => made,
      during: async (vmId, done) => {
        for (const [hart, node] of moves) {
          await sleep(150);
          if (done()) break;
          await c.call('migrateVcpu', { vmId, hart, node });
          made++;
        }
      },
    };
  }

  it('built-in SBI: t-sbi passes while hart 1 moves under its IPIs and remote fences, in WFI and back', async () => {
    const m = mover([[1, 0], [1, 1], [0, 1]]);
    const r = await runVm('t-sbi', 'bench=1000', m.during, { sbiBuiltin: true });
    const moved = m.made();
    expect(r.out).not.toContain('WRONG');
    expect(r.out).toMatch(/^bench: 1000 rounds: ipi round trip/m);
    expect(r.out).toContain('t-sbi: passed (0 wrong)\n');
    expect(r.exit.exitCode, r.out).toBe(0);
    expect(moved, 'moves made before t-sbi ended').toBeGreaterThanOrEqual(2);
    expect(r.exit.stats.vcpuMigrations).toBe(moved);
  }, 120_000);

  it('t-uart: a hart moved while it prints: every line whole and printed once (its posted writes leave before it does)', async () => {
    const m = mover([[1, 0], [0, 1], [1, 1]]);
    const r = await runVm('t-uart', 'lines=48', m.during);
    const moved = m.made();
    expect(r.exit.exitCode, r.out).toBe(0);
    expect(moved, 'moves made before t-uart ended').toBeGreaterThanOrEqual(2);
    const body = r.out.split('\n').filter((l) => l !== '' && !l.startsWith('RESULT '));
    const seen = body.map((l) => {
      const m = /^uart: hart=[01] line=(\d+) text=[0-9a-f]+$/.exec(l);
      expect(m, `mangled UART line ${JSON.stringify(l)}`).not.toBeNull();
      return Number(m![1]);
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 48 }, (_, i) => i));
  }, 120_000);

  it('bad moves are refused with a reason, the VM runs on', async () => {
    await matmul(async (vmId) => {
      await expect(c.call('migrateVcpu', { vmId, hart: 5, node: 0 })).rejects.toThrow(/has no hart 5/);
      await expect(c.call('migrateVcpu', { vmId, hart: 0, node: 7 })).rejects.toThrow(/has no node 7/);
      const cli = spawnSync(process.execPath, [UNUM_BIN, 'vm', 'migrate', 'no-such-vm', '--hart', '0', '--node', '1', '--cluster', `127.0.0.1:${c.port}`],
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, UNUM_TOKEN: c.token } });
      expect(cli.status, cli.stderr).toBe(2);
      expect(cli.stderr).toBe('unum: no VM no-such-vm\n');
    }).then(({ exit }) => expect(exit.exitCode).toBe(0));
  }, 120_000);

  it('--vcpu-migration fault-affinity moves a hart to the node serving its faults, and the faults drop', async () => {
    const run = async (policy: string): Promise<Stats> => {
      const file = join(dir, `${policy}.json`);
      const r = await runUnum(guestElf('pingpong'), {
        nodes: 2, vcpus: 2, mem: '64M', append: 'rounds=200', flags: ['--vcpu-migration', policy, '--stats', file], timeoutMs: 180_000,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/verify=ok/);
      return JSON.parse(readFileSync(file, 'utf8')) as Stats;
    };
    const off = await run('off');
    const on = await run('fault-affinity');
    const faults = (s: Stats): number => s.totals.readFaults + s.totals.writeFaults;
    expect(off.vcpuMigrations ?? 0).toBe(0);
    expect(on.vcpuMigrations).toBeGreaterThanOrEqual(1);
    expect(on.vcpuMigrations).toBeLessThanOrEqual(3); // hysteresis: no ping-pong
    expect(new Set(on.hartNode).size).toBe(1); // both harts end on one node
    expect(faults(on)).toBeLessThan(faults(off) / 2);
  }, 400_000);

  it.skipIf(slow !== undefined)('Linux (built-in SBI, 2 vCPUs, 2 nodes) with fault-affinity: after its CPU 1 moves, the workloads\' checksums equal QEMU\'s', async () => {
    const file = join(dir, 'linux.json');
    const r = spawnSync(process.execPath, [UNUM_BIN, 'run', '--kernel', LINUX_IMAGE, '--initrd', LINUX_INITRD, '--mem', '256M', '--vcpus', '2',
      '--nodes', '2', '--vcpu-migration', 'fault-affinity', '--stats', file, '--append', `console=hvc0 unum.run="${ALL_WORKLOADS_RUN}"`],
    { encoding: 'utf8', timeout: 300_000, input: '' });
    expect(r.status, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(r.stdout).toContain('unum.run: exit 0');
    const results = resultLines(r.stdout);
    expect(results.length).toBeGreaterThan(0);
    for (const res of results) expect(res.verified, res.name).toBe(true);
    if (!qemuUnavailableReason()) {
      const q = resultLines((await bootLinuxQemu(ALL_WORKLOADS_RUN, 2, 120_000)).stdout);
      expect(results.map((x) => `${x.name} ${x.checksum}`)).toEqual(q.map((x) => `${x.name} ${x.checksum}`));
    }
    const s = JSON.parse(readFileSync(file, 'utf8')) as Stats;
    expect(s.vcpuMigrations).toBeGreaterThanOrEqual(1);
  }, 320_000);

  it('a bad --vcpu-migration value is one line and exit 2', () => {
    const r = spawnSync(process.execPath, [UNUM_BIN, 'run', guestElf('hello'), '--nodes', '2', '--vcpu-migration', 'sometimes'],
      { encoding: 'utf8', timeout: 60_000, input: '' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe("unum: bad --vcpu-migration 'sometimes': use off or fault-affinity\n");
    const det = spawnSync(process.execPath, [UNUM_BIN, 'run', guestElf('hello'), '--nodes', '2', '--deterministic', '--vcpu-migration', 'fault-affinity'],
      { encoding: 'utf8', timeout: 60_000, input: '' });
    expect(det.status, det.stderr).toBe(2);
    expect(det.stderr).toBe('unum: --vcpu-migration needs free-running harts (not --deterministic or --quantum)\n');
  });
});
