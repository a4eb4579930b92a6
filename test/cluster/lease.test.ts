// A standing cluster's VMs (hardening issue, items 5 and 6): the client's
// WatchVm stream is a lease (a killed `unum run --cluster` stops its VM and
// frees the agents), `--detach` leaves the VM running and prints its id,
// `unum vm list` / `unum vm stop` manage it, and `unum status` / `vm list`
// report how each VM ended (outcome, exit status, reason).
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, guestElf } from '../guest/guest-paths.js';
import { UNUM_BIN } from './unum-runner.js';
import { StandingCluster, waitFor } from './standing-cluster.js';

interface Vm { vmId: string; state: string; outcome: string; exitCode: number; reason: string }

describe('standing cluster: leases, detach, vm list/stop, outcomes', () => {
  let c: StandingCluster;
  const cli = (args: string[], timeout = 90_000) => spawnSync(process.execPath, [UNUM_BIN, ...args],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout, input: '', env: { ...process.env, UNUM_TOKEN: c.token } });
  const addr = () => `127.0.0.1:${c.port}`;
  const vms = async (): Promise<Vm[]> => (await c.call<{ vms: Vm[] }>('status', {})).vms;

  beforeAll(async () => { c = await StandingCluster.start({ agents: 1 }); }, 60_000);
  afterAll(async () => { await c?.stop(); }, 30_000);

  it('a killed client stops its VM (reason says so) and the agent is free for the next run', async () => {
    const child = spawn(process.execPath, [UNUM_BIN, 'run', guestElf('t-uart'), '--cluster', addr(), '--mem', '32M', '--', 'lines=10000000'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, UNUM_TOKEN: c.token } });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    try {
      await waitFor('the guest to print', 60_000, () => (out.includes('line=') ? true : undefined));
    } finally {
      child.kill('SIGKILL');
    }
    let ended: Vm | undefined;
    const end = Date.now() + 15_000;
    while (!ended && Date.now() < end) {
      ended = (await vms()).find((v) => v.state === 'stopped');
      if (!ended) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ended).toMatchObject({ outcome: 'stopped', exitCode: 1, reason: 'its client went away (the WatchVm stream closed)' });
    const next = cli(['run', guestElf('hello'), '--cluster', addr(), '--mem', '32M']);
    expect(next.stderr).not.toMatch(/idle agent/);
    expect(next.status).toBe(0);
  }, 120_000);

  it('--detach prints the id and exits 0; vm list shows it running; vm stop stops it and says how', async () => {
    const r = cli(['run', guestElf('t-uart'), '--cluster', addr(), '--mem', '32M', '--detach', '--', 'lines=10000000']);
    expect(r.status).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    await new Promise((res) => setTimeout(res, 1500)); // the client is gone: a leased VM would stop now
    expect(cli(['vm', 'list', '--cluster', addr()]).stdout).toMatch(new RegExp(`^${id} running `, 'm'));
    const stop = cli(['vm', 'stop', id, '--cluster', addr()]);
    expect(stop.status).toBe(0);
    expect(stop.stdout).toMatch(new RegExp(`^${id} stopped stopped, exit 1: stopped through the API `));
    expect(cli(['vm', 'stop', 'nosuchvm', '--cluster', addr()]).status).toBe(2);
  }, 120_000);

  it('status reports a guest failure (rc 3) and a pass with their outcome and exit status, not "exit 0"', async () => {
    const fail = cli(['run', guestElf('fault'), '--cluster', addr(), '--mem', '32M']);
    const pass = cli(['run', guestElf('hello'), '--cluster', addr(), '--mem', '32M']);
    const all = await vms();
    const last = all.slice(-2);
    expect(last[0]).toMatchObject({ state: 'stopped', outcome: fail.status === 0 ? 'pass' : 'fail', exitCode: fail.status });
    expect(last[1]).toMatchObject({ state: 'stopped', outcome: 'pass', exitCode: 0, reason: '' });
    if (fail.status !== 0) expect(last[0]!.reason).toBe(`guest failed with ${fail.status}`);
    const status = cli(['status', '--cluster', addr()]);
    expect(status.stdout).toContain(`${last[0]!.vmId} stopped ${last[0]!.outcome}, exit ${fail.status}`);
  }, 120_000);
});
