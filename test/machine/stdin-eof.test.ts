// Stdin EOF only ends input: the guest keeps running until it exits or the
// user interrupts, and SIGINT stops the VM with status 1 and one line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUESTS, REPO, UNUM_BIN } from './tools.js';

describe('unum run: stdin EOF, SIGINT, stdout closed', () => {
  it('keeps the VM alive after EOF, then stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [UNUM_BIN, 'run', join(GUESTS, 'echo.elf')], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end('ab'); // no 'q': the guest waits for more input forever
    for (let i = 0; i < 200 && !stdout.includes('AB'); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(stdout).toBe('echo ready\nAB');
    expect(child.exitCode).toBeNull(); // still running after EOF
    child.kill('SIGINT');
    expect(await closed).toBe(1);
    expect(stderr).toBe('unum: interrupted\n');
  });

  it('stops with one line, no stack trace, when the stdout reader goes away', async () => {
    const child = spawn(process.execPath, [UNUM_BIN, 'run', join(GUESTS, 'echo.elf')], { cwd: REPO });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.once('data', () => child.stdout.destroy()); // like `| head -c 10`
    child.stdin.on('error', () => {});
    child.stdin.end(`${'a'.repeat(100_000)}q`);
    expect(await closed).toBe(1);
    expect(stderr).toBe('unum: stdout closed\n');
  });
});
