// A node agent's swap file is unlinked as soon as it is opened (the
// descriptor keeps it), so an agent killed with SIGKILL, which runs no
// cleanup, leaves nothing in the swap directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, guestElf } from '../guest/guest-paths.js';
import { waitFor } from './standing-cluster.js';
import { UNUM_BIN, clusterUnavailableReason } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping the swap cleanup test: ${skip}`);

const swapDir = mkdtempSync(join(tmpdir(), 'unum-swapkill-'));
afterAll(() => rmSync(swapDir, { recursive: true, force: true }));

/** Agent processes of a `unum run` (its children running `unum agent`). */
function agentsOf(pid: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes(' agent ')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** The files a process holds open under `dir` (as /proc shows them: unlinked ones end in " (deleted)"). */
function openUnder(pid: number, dir: string): string[] {
  const fds = join('/proc', String(pid), 'fd');
  const out: string[] = [];
  for (const fd of readdirSync(fds)) {
    try {
      const target = readlinkSync(join(fds, fd));
      if (target.startsWith(dir)) out.push(target);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

describe.skipIf(skip !== undefined)('swap files and SIGKILL', () => {
  it('agents with swap killed by SIGKILL leave no swap file behind', async () => {
    const child = spawn(process.execPath, [UNUM_BIN, 'run', guestElf('t-uart'), '--nodes', '2', '--vcpus', '2', '--mem', '64M',
      '--swap-size', '16M', '--swap-dir', swapDir, '--', 'lines=10000000'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr!.resume();
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    try {
      await waitFor('the guest to print', 90_000, () => (stdout.includes('line=') ? true : undefined));
      const agents = agentsOf(child.pid!);
      expect(agents).toHaveLength(2);
      for (const pid of agents) {
        const swap = openUnder(pid, swapDir);
        expect(swap, `agent ${pid} has its swap file open`).toHaveLength(1);
        expect(swap[0]).toMatch(/\.swap \(deleted\)$/);
      }
      for (const pid of agents) process.kill(pid, 'SIGKILL');
      process.kill(-child.pid!, 'SIGKILL'); // the CLI too: nothing gets to clean up
      await exited;
      expect(readdirSync(swapDir)).toEqual([]);
    } finally {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }
  }, 150_000);
});
