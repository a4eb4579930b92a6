/** Helpers for machine tests: find host tools, run the CLI and QEMU. */
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const GUESTS = fileURLToPath(new URL('./guests/', import.meta.url));
export const UNUM_BIN = `${REPO}cli/bin/unum.js`;

export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Print why a suite is skipped (vitest's skip reason is easy to miss). */
export function needTool(cmd: string): boolean {
  const ok = hasTool(cmd);
  if (!ok) console.warn(`skipping: ${cmd} not installed`);
  return ok;
}

export interface RunResult { status: number | null; stdout: string; stderr: string }

/** Run a command with optional stdin, bounded by a timeout. */
export function run(cmd: string, args: string[], input = '', timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

export const unum = (args: string[], input = '', timeoutMs?: number): Promise<RunResult> =>
  run(process.execPath, [UNUM_BIN, ...args], input, timeoutMs);

export const qemu = (elf: string, harts: number, input = '', timeoutMs?: number): Promise<RunResult> =>
  run('qemu-system-riscv64', ['-M', 'virt', '-bios', 'none', '-nographic', '-m', '128M', '-smp', String(harts),
    '-kernel', elf], input, timeoutMs);
