/**
 * Runs a bare-metal guest ELF under `qemu-system-riscv64 -M virt -bios none`,
 * the correctness oracle unum is compared against.
 *
 * @example
 *   const r = await runQemu('guest/bin/memscan.elf', { smp: 2, append: 'size=1M iters=2' });
 *   r.exitCode; // 0 when the guest wrote 0x5555 to the test finisher
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const QEMU_BINARY = 'qemu-system-riscv64';

export interface QemuRunOptions {
  /** -smp (harts); default 1 */
  smp?: number;
  /** -m, e.g. '256M'; default '256M' */
  memory?: string;
  /** -append: the guest's /chosen/bootargs */
  append?: string;
  /** bytes fed to the guest UART (stdin), then stdin is closed */
  input?: string;
  /** kill QEMU after this long; default 60 s */
  timeoutMs?: number;
  /** extra QEMU arguments, e.g. -numa options */
  extraArgs?: string[];
}

export interface QemuRunResult {
  /** everything the guest wrote to the UART */
  stdout: string;
  stderr: string;
  /** finisher 0x5555 → 0, (c << 16) | 0x3333 → c; -1 if QEMU was killed */
  exitCode: number;
  timedOut: boolean;
  elapsedMs: number;
}

/** Why QEMU can't be used here, or undefined when it can. */
export function qemuUnavailableReason(): string | undefined {
  const probe = spawnSync(QEMU_BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `${QEMU_BINARY} not found on PATH (apt-get install qemu-system-misc)`;
  return undefined;
}

export function qemuArgs(elf: string, opts: QemuRunOptions = {}): string[] {
  const args = ['-M', 'virt', '-bios', 'none', '-nographic', '-smp', String(opts.smp ?? 1), '-m', opts.memory ?? '256M'];
  args.push(...(opts.extraArgs ?? []), '-kernel', elf);
  if (opts.append !== undefined && opts.append !== '') args.push('-append', opts.append);
  return args;
}

export function runQemu(elf: string, opts: QemuRunOptions = {}): Promise<QemuRunResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  // The UART goes to a file, not a pipe: QEMU's serial model drops a byte
  // when a write to its chardev would block, which a busy pipe reader causes.
  const dir = mkdtempSync(path.join(tmpdir(), 'unum-qemu-'));
  const outFile = path.join(dir, 'uart.txt');
  const outFd = openSync(outFile, 'w');
  const cleanup = (): string => {
    const text = readFileSync(outFile, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    return text;
  };
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU_BINARY, qemuArgs(elf, opts), { stdio: ['pipe', outFd, 'pipe'] });
    closeSync(outFd);
    const { stdin, stderr } = child;
    if (!stdin || !stderr) throw new Error('spawn gave no stdin/stderr pipe');
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    stderr.on('data', (b: Buffer) => err.push(b));
    stdin.on('error', () => undefined); // QEMU may exit before reading all input
    child.on('error', (e) => {
      clearTimeout(timer);
      cleanup();
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        stdout: cleanup(),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: timedOut || code === null ? -1 : code,
        timedOut,
        elapsedMs: Date.now() - started,
      });
    });
    if (opts.input !== undefined) stdin.write(opts.input);
    stdin.end();
  });
}
