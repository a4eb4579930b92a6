/**
 * Runs one bare-metal guest ELF to completion, either under unum (the CLI,
 * `cli/bin/unum.js run`) or under `qemu-system-riscv64 -M virt -bios
 * none` (TCG), and returns its exit status, parsed RESULT line and the
 * process's CPU time (through GNU time, /usr/bin/time).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type Runner = 'unum' | 'qemu';

export interface GuestRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** key=value fields of the RESULT line, undefined if there is none */
  result?: Record<string, string>;
  /** user + system CPU seconds of the whole process (GNU time, 10 ms resolution) */
  cpuSeconds: number;
}

export interface GuestSpec {
  elf: string;
  bootargs: string;
  mem: string;
}

function commandFor(runner: Runner, repo: string, g: GuestSpec): [string, string[]] {
  if (runner === 'unum') {
    const args = [path.join(repo, 'cli/bin/unum.js'), 'run', g.elf, '--vcpus', '1', '--mem', g.mem];
    if (g.bootargs) args.push('--', ...g.bootargs.split(' '));
    return [process.execPath, args];
  }
  const args = ['-M', 'virt', '-bios', 'none', '-nographic', '-smp', '1', '-m', g.mem, '-kernel', g.elf];
  if (g.bootargs) args.push('-append', g.bootargs);
  return ['qemu-system-riscv64', args];
}

export function parseResult(stdout: string): Record<string, string> | undefined {
  const line = stdout.split(/\r?\n/).find((l) => l.startsWith('RESULT '));
  if (!line) return undefined;
  return Object.fromEntries(line.trim().split(/\s+/).slice(1).map((t) => t.split('=', 2) as [string, string]));
}

/** Guest output goes to a file: QEMU's UART drops bytes when a pipe write would block. */
export function runGuest(runner: Runner, repo: string, g: GuestSpec, timeoutMs = 300_000): Promise<GuestRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'unum-bench-'));
  const outFile = path.join(dir, 'out.txt');
  const fd = openSync(outFile, 'w');
  const cpuFile = path.join(dir, 'cpu.txt');
  const [cmd, args] = commandFor(runner, repo, g);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, cmd, ...args], { stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => { stderr += b.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); rmSync(dir, { recursive: true, force: true }); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = readFileSync(outFile, 'utf8');
      const cpu = readFileSync(cpuFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
      rmSync(dir, { recursive: true, force: true });
      resolve({ exitCode: code ?? -1, stdout, stderr, result: parseResult(stdout), cpuSeconds: (cpu[0] ?? NaN) + (cpu[1] ?? NaN) });
    });
  });
}
