/**
 * Runs one lab configuration as `unum run X.elf --nodes N ... --stats F`
 * in its own process group and turns its RESULT line and stats into a
 * LabRow. A failed run (non-zero exit, no RESULT line, timeout) is a row
 * with ok=false and the reason, never an exception: the matrix goes on.
 * With a trace directory, the agents write per-fault JSONL there
 * (UNUM_DSM_TRACE_DIR, read by the agent's VmNode).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { knobSpecs } from '@unum/dsm';
import { runChild } from '../child-run.js';
import { parseResultOutput } from '../result-line.js';
import { runId, type LabConfig } from './lab-config.js';
import { countersOf, mergeHotUnits, totalsOf, type LabRow, type NodeReportJson } from './lab-row.js';

/** Knob name → its `unum run` flag, from the registered KnobSpecs. */
const FLAGS = new Map(knobSpecs().map(({ spec }) => [spec.name, spec.flag]));

export interface LabRunEnv {
  /** `node cli/bin/unum.js`. */
  unumArgv: string[];
  /** Directory of the guest ELFs (guest/bin). */
  guestDir: string;
  /** Scratch directory for the stats files. */
  scratchDir: string;
  mem: string;
  timeoutMs: number;
  /** vCPU placement (`unum run --placement`). */
  placement: string;
  /** Per-run directory for the fault trace (undefined: no trace). */
  traceDirOf?: (c: LabConfig) => string;
  hotTop: number;
  /** Lockstep mode (`unum run --quantum`): exactly repeatable counters; undefined = free-running. */
  quantum?: number;
}

export function labRunArgv(c: LabConfig, env: LabRunEnv, statsFile: string): string[] {
  const argv = [
    ...env.unumArgv, 'run', join(env.guestDir, `${c.workload}.elf`), '--nodes', String(c.nodes), '--vcpus', String(c.vcpus),
    '--mem', env.mem, '--placement', env.placement, '--protocol', c.protocol, '--unit', c.unit, '--page-placement', c.pagePlacement,
    '--stats', statsFile,
  ];
  for (const [name, v] of Object.entries(c.knobs)) argv.push(`--${FLAGS.get(name) ?? name}`, String(v));
  if (env.quantum !== undefined) argv.push('--quantum', String(env.quantum));
  if (c.linkLatency !== '0') argv.push('--link-latency', c.linkLatency);
  return [...argv, '--', ...c.args.split(' ').filter(Boolean)];
}

/** The line that says why a run failed: the guest's `error:`/`TRAP` line, else unum's own `unum:` line, else the last output line. */
export function failureLine(stdout: string, stderr: string): string {
  const out = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return out.find((l) => /^(error:|TRAP )/.test(l)) ?? err.find((l) => l.startsWith('unum: ') && !/ node\(s\), /.test(l))
    ?? out.pop() ?? err.pop() ?? 'no output';
}

export async function runLabConfig(c: LabConfig, env: LabRunEnv, signal?: AbortSignal): Promise<LabRow> {
  const id = runId(c);
  const statsFile = join(env.scratchDir, `${id}.json`);
  const traceDir = env.traceDirOf?.(c);
  const r = await runChild({
    argv: labRunArgv(c, env, statsFile), timeoutMs: env.timeoutMs, env: traceDir ? { UNUM_DSM_TRACE_DIR: traceDir } : undefined,
  }, signal);
  const row: LabRow = { ...c, id, ok: false, exitCode: r.exitCode, processMs: r.wallMs };
  if (r.timedOut) return { ...row, error: `timed out after ${env.timeoutMs} ms` };
  if (r.aborted) return { ...row, error: 'interrupted' };
  if (r.exitCode !== 0) row.error = `exit ${r.exitCode}: ${failureLine(r.stdout, r.stderr)}`;
  try {
    const res = parseResultOutput(r.stdout);
    row.checksum = res.checksum;
    row.guestTicks = Number(res.int('ticks'));
    row.guestMs = (row.guestTicks / Number(res.int('tbfreq'))) * 1000;
    if (!res.verified) row.error ??= 'guest check failed (verify=fail)';
  } catch (e) {
    row.error ??= `${(e as Error).message}: ${failureLine(r.stdout, r.stderr)}`;
  }
  try {
    const stats = JSON.parse(await readFile(statsFile, 'utf8')) as { wallMs: number; perNode: NodeReportJson[] };
    row.wallMs = stats.wallMs;
    row.perNode = stats.perNode.map((n) => countersOf(n.dsm));
    row.totals = totalsOf(stats.perNode.map((n) => n.dsm));
    row.hotUnits = mergeHotUnits(stats.perNode, env.hotTop);
    await rm(statsFile, { force: true });
  } catch (e) {
    row.error ??= `no stats: ${(e as Error).message}`;
  }
  row.ok = row.error === undefined;
  return row;
}
