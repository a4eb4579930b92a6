// Failure detection under load (hardening issue, item 2): a busy machine must
// not kill a healthy VM, and a stopped agent is still named within a bound.
// Quiet for the heartbeat timeout T makes an agent suspect and probed; still
// quiet T/2 later it is lost (coordinator/src/nodes/remote-node.ts): a
// SIGSTOPped agent is named 1.5·T to 1.5·T + 0.4 s after its last message.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, guestElf } from '../guest/guest-paths.js';
import { UNUM_BIN } from './unum-runner.js';
import { waitFor } from './standing-cluster.js';

function agentsOf(pid: number): Array<{ pid: number; name: string }> {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes(' agent ')).map((l) => ({
    pid: Number(l.trim().split(/\s+/)[0]), name: /--name (\S+)/.exec(l)?.[1] ?? '',
  }));
}

function unumRun(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [UNUM_BIN, 'run', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  return { child, out: () => out, err: () => err, exited: new Promise((r) => child.on('exit', (code) => r(code))) };
}

/** `n` processes spinning on the CPU for `ms` (bounded: they exit by themselves). */
function cpuHogs(n: number, ms: number): ChildProcess[] {
  return Array.from({ length: n }, () =>
    spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x++;`], { stdio: 'ignore' }));
}

describe('heartbeats under load', () => {
  it('a VM runs to its end while CPU hogs load the machine: no node is declared lost', async () => {
    const hogs = cpuHogs(4, 20_000);
    try {
      const r = unumRun([guestElf('t-uart'), '--nodes', '2', '--vcpus', '2', '--mem', '64M', '--', 'lines=300']);
      const status = await Promise.race([r.exited, new Promise<'hung'>((res) => setTimeout(() => res('hung'), 110_000))]);
      if (status === 'hung') r.child.kill('SIGKILL');
      expect(r.err()).not.toMatch(/lost/);
      expect(status).toBe(0);
      expect(r.out()).toContain('line=299 ');
    } finally {
      for (const h of hogs) h.kill('SIGKILL');
    }
  }, 130_000);

  it('a SIGSTOPped agent is named within 1.5·T + 0.4 s (T = --heartbeat-timeout 1000), plus slack for a loaded machine', async () => {
    const T = 1000;
    const r = unumRun([guestElf('t-uart'), '--nodes', '2', '--vcpus', '2', '--mem', '64M', '--heartbeat-timeout', String(T), '--', 'lines=10000000']);
    let victim: number | undefined;
    try {
      await waitFor('the guest to print', 60_000, () => (r.out().includes('line=') ? true : undefined));
      victim = agentsOf(r.child.pid!).find((a) => a.name === 'node1')!.pid;
      const t0 = Date.now();
      process.kill(victim, 'SIGSTOP');
      await waitFor('the coordinator to name the node', 15_000, () => (r.err().includes('node lost; stopping the VM') ? true : undefined));
      const detectedMs = Date.now() - t0;
      expect(detectedMs).toBeGreaterThan(T); // suspicion first: not at the first quiet timeout
      expect(detectedMs).toBeLessThan(1.5 * T + 400 + 1500); // the documented bound + 1.5 s for load ~25
      const status = await Promise.race([r.exited, new Promise<'hung'>((res) => setTimeout(() => res('hung'), 20_000))]);
      expect(status).toBe(1);
      expect(r.err()).toMatch(/unum: node 1 \(node1\) lost: no heartbeat for \d+ ms, nor an answer to a probe/);
    } finally {
      if (victim) try { process.kill(victim, 'SIGKILL'); } catch { /* gone */ }
      r.child.kill('SIGKILL');
    }
  }, 120_000);
});
