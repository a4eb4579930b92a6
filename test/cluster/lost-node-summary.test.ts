// A node lost mid-run, as the user sees it on stderr: the reason in one line,
// then the summary table with a row for every node (the lost one says so),
// and nothing after it: no JSON log lines, no stack traces from the agents
// tearing down (a fault the closing DSM rejects is not a failure).
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, guestElf } from '../guest/guest-paths.js';
import { UNUM_BIN } from './unum-runner.js';
import { waitFor } from './standing-cluster.js';

function agentPid(parent: number, name: string): number | undefined {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent)], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.includes(' agent ') && l.includes(`--name ${name} `));
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined;
}

describe('embedded cluster: a lost node on stderr', () => {
  it('one reason line, a row for each of the 3 nodes, no JSON or stack lines after the table', async () => {
    // 6 harts on 3 nodes all printing: the console lock's page moves between the nodes all the time,
    // so a hart is usually waiting on the victim when it dies.
    const child = spawn(process.execPath, [UNUM_BIN, 'run', guestElf('t-uart'), '--nodes', '3', '--vcpus', '6', '--mem', '64M', '--', 'lines=10000000'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => { stdout = (stdout + b.toString()).slice(-1000); });
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
    // 'close': every holder of the pipes (the agents too) is gone, so whatever they print while tearing down is in.
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    try {
      await waitFor('the guest to print', 60_000, () => (stdout.includes('line=') ? true : undefined));
      await new Promise((r) => setTimeout(r, 1000));
      process.kill(agentPid(child.pid!, 'node1')!, 'SIGKILL');
      await Promise.race([closed, new Promise((_, no) => setTimeout(() => no(new Error('the run did not end')), 30_000))]);
    } finally {
      child.kill('SIGKILL');
    }
    const lines = stderr.trimEnd().split('\n');
    expect(lines.filter((l) => /^unum: node 1 \(node1\) lost: /.test(l))).toHaveLength(1);
    const head = lines.findIndex((l) => /^node\s+name\s+harts\s+instret/.test(l));
    expect(head, stderr).toBeGreaterThan(0);
    expect(lines[head - 1]).toMatch(/^unum: 3 node\(s\), 6 vcpu\(s\), .*: stopped \(exit 1\)/);
    const rows = lines.slice(head + 1);
    expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 2).join(' ')), stderr).toEqual(['0 node0', '1 node1', '2 node2']);
    expect(rows[1]!.trim().split(/\s+/)[3]).toBe('lost');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('"stack"');
    expect(rows.filter((l) => l.includes('{"level":'))).toEqual([]);
  }, 120_000);
});
