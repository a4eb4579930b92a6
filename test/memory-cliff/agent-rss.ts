/**
 * Runs `unum run ...` and samples the resident memory (VmRSS in
 * /proc/<pid>/status) of its agent processes (the children of the unum
 * process) every 100 ms while it runs.
 *
 * @example
 *   const r = await runSampled(['run', 'guest/bin/memscan.elf', '--nodes', '1', '--', 'size=8M']);
 *   r.maxAgentRssBytes;
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { UNUM_BIN } from '../cluster/unum-runner.js';
import { REPO_ROOT } from '../guest/guest-paths.js';

export interface SampledRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  maxAgentRssBytes: number;
  samples: number;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}

export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function runSampled(args: string[], timeoutMs = 240_000): Promise<SampledRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [UNUM_BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    let max = 0;
    let samples = 0;
    const timer = setInterval(() => {
      for (const pid of childrenOf(child.pid!)) {
        max = Math.max(max, rssBytes(pid));
        samples++;
      }
    }, 100);
    const kill = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('exit', (code) => {
      clearInterval(timer);
      clearTimeout(kill);
      resolve({ stdout, stderr, exitCode: code ?? -1, maxAgentRssBytes: max, samples });
    });
  });
}
