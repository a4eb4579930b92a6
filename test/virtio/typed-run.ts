/** Run the unum CLI and type `input` on its stdin once `marker` appears on its stdout (a guest ready to read). */
import { spawn } from 'node:child_process';
import { REPO, UNUM_BIN, type RunResult } from '../machine/tools.js';

export function runTypingAfter(args: string[], marker: string, input: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [UNUM_BIN, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!typed && stdout.includes(marker)) {
        typed = true;
        child.stdin.write(input);
      }
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}
