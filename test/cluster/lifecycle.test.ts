// VM lifecycle through the coordinator's gRPC API on a standing cluster of
// real processes (`unum coordinator` + 2 `unum agent`s on 127.0.0.1):
// create → status → start → pause (console stops) → resume (console goes on,
// guest passes) → stopped; and stop of a running VM.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { StandingCluster, type VmEvent } from './standing-cluster.js';

interface VmInfo { vmId: string; state: string; hartNode: number[]; nodeNames: string[] }
interface Watch { output: () => string; exit: Promise<Record<string, unknown>> }

function watch(c: StandingCluster, vmId: string): Watch {
  let out = '';
  const exit = new Promise<Record<string, unknown>>((resolve, reject) => {
    const s = c.api.watchVm({ vmId });
    s.on('data', (ev: VmEvent) => {
      if (ev.kind?.$case === 'console') out += Buffer.from(ev.kind.value).toString();
      if (ev.kind?.$case === 'exit') resolve(ev.kind.value as unknown as Record<string, unknown>);
    });
    s.on('error', reject);
  });
  return { output: () => out, exit };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('cluster lifecycle over gRPC (real processes)', () => {
  let c: StandingCluster;
  beforeAll(async () => { c = await StandingCluster.start({ agents: 2 }); }, 60_000);
  afterAll(async () => { await c?.stop(); }, 30_000);

  it('create, status, start, pause, resume, run to the end', async () => {
    const elf = readFileSync(guestElf('t-uart'));
    const vm = await c.call<VmInfo>('createVm', {
      elf, vcpus: 2, memBytes: 64 << 20, placement: 'rr', protocol: 'ivy-fixed', unitBytes: 4096, bootargs: 'lines=200',
    });
    expect(vm.state).toBe('created');
    expect(vm.hartNode).toEqual([0, 1]);
    expect([...vm.nodeNames].sort()).toEqual(['a0', 'a1']);
    const status = await c.call<{ members: Array<{ state: string }>; vms: VmInfo[] }>('status', {});
    expect(status.members.map((m) => m.state)).toEqual(['in-vm', 'in-vm']);
    expect(status.vms.find((v) => v.vmId === vm.vmId)?.state).toBe('created');

    const w = watch(c, vm.vmId);
    expect((await c.call<VmInfo>('startVm', { vmId: vm.vmId })).state).toBe('running');
    while (!w.output().includes('line=')) await sleep(20); // it is printing

    expect((await c.call<VmInfo>('pauseVm', { vmId: vm.vmId })).state).toBe('paused');
    await sleep(300); // forwarded writes already in flight land
    const frozen = w.output().length;
    await sleep(700);
    expect(w.output().length, 'no console output while paused').toBe(frozen);
    expect(w.output()).not.toContain('RESULT');

    expect((await c.call<VmInfo>('resumeVm', { vmId: vm.vmId })).state).toBe('running');
    const exit = await w.exit;
    expect(exit.exitCode).toBe(0);
    expect(exit.outcome).toBe('pass');
    expect(w.output()).toMatch(/RESULT name=t-uart .*verify=ok/);
    const lines = w.output().split('\n').filter((l) => l.startsWith('uart: '));
    expect(lines.length).toBe(200);
    const stats = exit.stats as { perNode: unknown[] };
    expect(stats.perNode).toHaveLength(2);
    expect((await c.call<{ vms: VmInfo[] }>('status', {})).vms.find((v) => v.vmId === vm.vmId)?.state).toBe('stopped');
  }, 120_000);

  it('a lockstep VM (quantum set) pauses between quanta and resumes to the end', async () => {
    const elf = readFileSync(guestElf('t-uart'));
    const vm = await c.call<VmInfo>('createVm', { elf, vcpus: 2, memBytes: 64 << 20, protocol: 'ivy-dynamic', quantum: 5000, bootargs: 'lines=100' });
    const w = watch(c, vm.vmId);
    await c.call('startVm', { vmId: vm.vmId });
    while (!w.output().includes('line=')) await sleep(20);
    expect((await c.call<VmInfo>('pauseVm', { vmId: vm.vmId })).state).toBe('paused');
    await sleep(300);
    const frozen = w.output().length;
    await sleep(700);
    expect(w.output().length, 'no console output while paused').toBe(frozen);
    await c.call('resumeVm', { vmId: vm.vmId });
    const exit = await w.exit;
    expect(exit.outcome).toBe('pass');
    const stats = exit.stats as { lockstep?: { quantum: number; quanta: number } };
    expect(stats.lockstep?.quantum).toBe(5000);
    expect(stats.lockstep?.quanta).toBeGreaterThan(0);
  }, 120_000);

  it('stop ends a running VM and frees its agents', async () => {
    const elf = readFileSync(guestElf('t-uart'));
    const vm = await c.call<VmInfo>('createVm', { elf, vcpus: 2, memBytes: 64 << 20, bootargs: 'lines=1000000' });
    const w = watch(c, vm.vmId);
    await c.call('startVm', { vmId: vm.vmId });
    while (!w.output().includes('line=')) await sleep(20);
    const stopped = await c.call<VmInfo>('stopVm', { vmId: vm.vmId });
    expect(stopped.state).toBe('stopped');
    const exit = await w.exit;
    expect(exit.outcome).toBe('stopped');
    expect(exit.exitCode).toBe(1);
    const status = await c.call<{ members: Array<{ state: string }> }>('status', {});
    expect(status.members.map((m) => m.state)).toEqual(['idle', 'idle']);
  }, 120_000);

  it('bad requests are INVALID_ARGUMENT with one line', async () => {
    const elf = readFileSync(guestElf('hello'));
    await expect(c.call('createVm', { elf, vcpus: 2, memBytes: 64 << 20, protocol: 'ivy-nope' })).rejects.toMatchObject({
      code: 3, details: expect.stringContaining("unknown DSM protocol 'ivy-nope'"),
    });
    await expect(c.call('createVm', { elf: Buffer.from('not an elf'), vcpus: 1, memBytes: 64 << 20 })).rejects.toMatchObject({ code: 3 });
    await expect(c.call('startVm', { vmId: 'nope' })).rejects.toMatchObject({ code: 3 });
  }, 60_000);
});
