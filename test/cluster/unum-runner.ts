/**
 * Runs a guest under `unum run` (single node or an embedded multi-node
 * cluster) with a hard timeout, and says at run time which unum features
 * exist yet, so suites can skip with a reason instead of failing on a
 * missing flag.
 *
 * @example
 *   const why = clusterUnavailableReason();   // undefined when --nodes etc. exist
 *   const r = await runUnum('guest/bin/t-same.elf', { vcpus: 3, nodes: 3, protocol: 'ivy-fixed', append: 'n=4K' });
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../guest/guest-paths.js';

export const UNUM_BIN = path.join(REPO_ROOT, 'cli', 'bin', 'unum.js');
export const PROTOCOLS = ['ivy-central', 'ivy-fixed', 'ivy-dynamic'] as const;

export interface UnumRunOptions {
  vcpus: number;
  /** embedded cluster size; omitted = plain single-node `unum run` */
  nodes?: number;
  /** 'rr' | 'packed' | '0,1,2' */
  placement?: string;
  protocol?: string;
  /** coherence unit, e.g. '4K' (passed only when the CLI has --unit) */
  unit?: string;
  mem?: string;
  /** the guest's bootargs (key=value words) */
  append?: string;
  /** more `unum run` flags, e.g. ['--deterministic', '--stats', 'f.json'] */
  flags?: string[];
  timeoutMs?: number;
}

export interface UnumRunResult {
  stdout: string;
  stderr: string;
  /** the guest's exit code; -1 when killed */
  exitCode: number;
  timedOut: boolean;
  elapsedMs: number;
  argv: string[];
}

let help: string | undefined;
function runHelp(): string {
  if (help === undefined) {
    const r = spawnSync(process.execPath, [UNUM_BIN, 'run', '--help'], { encoding: 'utf8', timeout: 60_000 });
    help = r.status === 0 ? r.stdout : '';
  }
  return help;
}

/** Why plain `unum run --vcpus N` can't be used yet, or undefined. */
export function singleNodeUnavailableReason(): string | undefined {
  if (!runHelp().includes('--vcpus')) return `${UNUM_BIN} run --help does not work or has no --vcpus (is the repo built? npm run build)`;
  return engineMissingReason();
}

/** Why `unum run --nodes N` can't be used yet, or undefined. */
export function clusterUnavailableReason(): string | undefined {
  const h = runHelp();
  const missing = ['--nodes', '--placement', '--protocol'].filter((f) => !h.includes(f));
  if (missing.length) return `unum run has no ${missing.join(', ')} yet (multi-node runtime not landed)`;
  return engineMissingReason();
}

/** Only the known "not built yet" failures of the vCPU engine count as missing;
 * any other failure of the probe is left for the tests to report. */
let engineProbe: string | null | undefined;
function engineMissingReason(): string | undefined {
  if (engineProbe === undefined) {
    const r = spawnSync(process.execPath, [UNUM_BIN, 'run', path.join(REPO_ROOT, 'guest', 'bin', 't-uart.elf'), '--', 'lines=1'],
      { encoding: 'utf8', timeout: 60_000, input: '' });
    const line = (r.stderr ?? '').split('\n').find((l) => /no Vcpu engine|not written|not implemented/i.test(l));
    engineProbe = r.status !== 0 && line ? line.replace(/^unum:\s*/, '') : null;
  }
  return engineProbe === null ? undefined : `the vCPU engine is missing: ${engineProbe}`;
}

export function unumArgs(elf: string, o: UnumRunOptions): string[] {
  const args = [UNUM_BIN, 'run', elf, '--vcpus', String(o.vcpus), '--mem', o.mem ?? '128M'];
  if (o.nodes !== undefined) args.push('--nodes', String(o.nodes));
  if (o.placement !== undefined) args.push('--placement', o.placement);
  if (o.protocol !== undefined) args.push('--protocol', o.protocol);
  if (o.unit !== undefined && runHelp().includes('--unit')) args.push('--unit', o.unit);
  if (o.flags) args.push(...o.flags);
  const words = (o.append ?? '').split(/\s+/).filter(Boolean);
  if (words.length) args.push('--', ...words);
  return args;
}

const live = new Set<ChildProcess>();

/** Kills a run's whole process group (the CLI and any agent processes it started). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** For afterAll: tear down anything a failed or timed-out test left running. */
export function killAllUnum(): void {
  for (const c of live) killGroup(c);
  live.clear();
}

export function runUnum(elf: string, o: UnumRunOptions): Promise<UnumRunResult> {
  const argv = unumArgs(elf, o);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout kills the agents too.
    const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, o.timeoutMs ?? 120_000);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end();
    child.on('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child); // agents must not outlive their run
      live.delete(child);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: timedOut || code === null ? -1 : code,
        timedOut,
        elapsedMs: Date.now() - started,
        argv: argv.slice(1),
      });
    });
  });
}
