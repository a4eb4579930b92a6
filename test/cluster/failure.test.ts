// Failure and bad input on the embedded cluster (`unum run --nodes`):
// an agent killed mid-run is detected within 2 s, the run names the lost node
// and exits non-zero, and no agent process is left; bad flags are one line
// and exit 2 before any agent starts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, guestElf } from '../guest/guest-paths.js';
import { UNUM_BIN } from './unum-runner.js';
import { waitFor } from './standing-cluster.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Agent processes of a `unum run` (its children running `unum agent`). */
function agentsOf(pid: number): Array<{ pid: number; name: string }> {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes(' agent ')).map((l) => ({
    pid: Number(l.trim().split(/\s+/)[0]), name: /--name (\S+)/.exec(l)?.[1] ?? '',
  }));
}

function run(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [UNUM_BIN, 'run', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, input: '' });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** A `unum run` of a guest that prints forever, once it is printing. */
async function startPrinting(nodes: number): Promise<{ child: ChildProcess; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [UNUM_BIN, 'run', guestElf('t-uart'), '--nodes', String(nodes), '--vcpus', String(nodes),
    '--mem', '64M', '--', 'lines=10000000'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    await waitFor('the guest to print', 60_000, () => (stdout.includes('line=') ? true : undefined));
  } catch (e) {
    child.kill('SIGKILL'); // its agents follow through their IPC channel
    throw e;
  }
  return { child, stderr: () => stderr, exited };
}

describe('embedded cluster: failures', () => {
  it('an agent killed mid-run: detected within 2 s, node named, exit non-zero, nothing left running', async () => {
    const { child, stderr, exited } = await startPrinting(3);
    try {
      const agents = agentsOf(child.pid!);
      expect(agents.map((a) => a.name).sort()).toEqual(['node0', 'node1', 'node2']);
      const victim = agents.find((a) => a.name === 'node1')!;
      const t0 = Date.now();
      process.kill(victim.pid, 'SIGKILL');
      await waitFor('the coordinator to notice', 10_000, () => (stderr().includes('node lost; stopping the VM') ? true : undefined));
      const detectedMs = Date.now() - t0;
      const status = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
      const tookMs = Date.now() - t0;
      expect(detectedMs, 'loss detected').toBeLessThan(2000);
      expect(status).not.toBe('hung');
      expect(status).not.toBe(0);
      expect(stderr()).toMatch(/unum: node 1 \(node1\) lost: /);
      expect(tookMs, 'run ended (detection + teardown)').toBeLessThan(6000);
      for (const a of agents) await waitFor(`agent ${a.name} to exit`, 5000, () => (alive(a.pid) ? undefined : true));
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('SIGINT tears everything down: exit non-zero, interrupted, no agent left', async () => {
    const { child, stderr, exited } = await startPrinting(2);
    try {
      const agents = agentsOf(child.pid!);
      expect(agents).toHaveLength(2);
      child.kill('SIGINT');
      const status = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
      expect(status).toBe(1);
      expect(stderr()).toContain('unum: interrupted (SIGINT)');
      for (const a of agents) await waitFor(`agent ${a.name} to exit`, 5000, () => (alive(a.pid) ? undefined : true));
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('agents exit when the `unum run` process is killed outright', async () => {
    const { child } = await startPrinting(2);
    const agents = agentsOf(child.pid!);
    expect(agents).toHaveLength(2);
    child.kill('SIGKILL');
    for (const a of agents) await waitFor(`orphan agent ${a.name} to exit`, 5000, () => (alive(a.pid) ? undefined : true));
  }, 90_000);
});

describe('embedded cluster: bad input is one line and exit 2', () => {
  const hello = guestElf('hello');
  const cases: Array<[string, string[], RegExp]> = [
    ['bad placement', ['--nodes', '2', '--vcpus', '2', '--placement', '0,5'], /node 5 does not exist/],
    ['placement of the wrong length', ['--nodes', '2', '--vcpus', '3', '--placement', '0,1'], /2 entries for 3 vcpus/],
    ['placement gibberish', ['--nodes', '2', '--vcpus', '2', '--placement', 'spread'], /use rr, packed, or a node list/],
    ['vcpus 0', ['--nodes', '2', '--vcpus', '0'], /--vcpus/],
    ['nodes 0', ['--nodes', '0', '--vcpus', '1'], /--nodes/],
    ['unknown variant', ['--nodes', '2', '--vcpus', '2', '--protocol', 'ivy-magic'], /unknown DSM protocol 'ivy-magic'/],
    ['bad unit', ['--nodes', '2', '--vcpus', '2', '--unit', '12K'], /--unit must be a power of two/],
    ['more memory than the nodes offer', ['--nodes', '2', '--vcpus', '2', '--mem', '128M', '--node-mem', '32M', '--swap-size', '0'], /more than the 2 node\(s\) offer \(64 MiB of memory and swap\)/],
  ];
  it.each(cases)('%s', (_what, args, message) => {
    const r = run([hello, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^unum: /);
    expect(lines[0]).toMatch(message);
  }, 60_000);
});
