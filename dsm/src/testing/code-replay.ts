import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeEvent, CodeTrace } from './code-trace.js';
import { recordCodeRun, type RecordOptions } from './code-trace.js';
import { modelDir } from './model-replay.js';
import { parseStateLine, stateDiff } from './model-state.js';

/**
 * Code → model conformance, the replay half (docs/dsm.md "Model checking"):
 * a recorded run of the code (code-trace.ts) becomes a Promela driver, an
 * `init` that forces the model through the same steps with the inlines of
 * dsm/model/dsm-replay.pml (each asserts the model can take the step, then
 * takes it), and spin simulates it. After every code step the model prints
 * its state, which must equal the code's. Fails when the model cannot take a
 * step the code took, or reaches another state.
 */

/** The model's bounds raised to the code's: re-faults, Mirage holds, link and queue capacity (the code has none). */
const replayBounds = { RETRIES: 200, MAXHOLD: 200, CAP: 16, DQ: 16 };
const NONE = 255;

/** One model step of the driver: its kind (R_* in dsm-replay.pml) and arguments. */
interface SubStep {
  /** What it is, for coverage: vcpu, deliver GRANT, drain, ... */
  name: string;
  kind: string;
  args: Array<number | string>;
  /** The code's yes/no choices inside it (rq). */
  choices: boolean[];
  /** It picks a peer (an eviction; a refused credit): whom the code asked, NONE until a `reserve` shows one. */
  picks: boolean;
  peer: number;
  peerSeen?: boolean;
}

/** The model steps of one code step, in order. */
function subSteps(events: CodeEvent[]): SubStep[] {
  const subs: SubStep[] = [];
  const faulted = new Set<number>(); // nodes whose vCPU step started its fault (startFault is part of that model step)
  let delivered: Extract<CodeEvent, { kind: 'deliver' }> | undefined;
  const push = (name: string, kind: string, args: SubStep['args'], picks = false) => {
    subs.push({ name, kind, args, picks, peer: NONE, choices: [] });
    delivered = undefined;
  };
  for (const ev of events) {
    switch (ev.kind) {
      case 'vcpu':
        push('vcpu', 'R_VCPU', [ev.node, ev.unit, ev.access, +ev.faulted, ev.value]);
        if (ev.faulted) faulted.add(ev.node);
        break;
      case 'start': {
        if (faulted.delete(ev.node)) break;
        const last = subs.at(-1);
        if (last?.name === 'deliver PUSH' && last.args[1] === ev.node && last.args[3] === ev.unit) break; // the fault waited for the push: onPush faults again (EV_REFAULT)
        push('retry', 'R_RETRY', [ev.node]); // the vCPU faults again (it parks on a push on its way, as the model's does)
        break;
      }
      case 'resume':
        push('resume', 'R_RESUME', [ev.node, ev.value]);
        break;
      case 'deliver':
        push(`deliver ${ev.msg}`, 'R_DELIVER', [ev.from, ev.node, ev.msg, ev.unit], ev.msg === 'CREDIT' && !ev.ok);
        delivered = ev;
        break;
      case 'recv':
        if (delivered && delivered.from === ev.from && delivered.node === ev.node && delivered.msg === ev.msg && delivered.unit === ev.unit) delivered = undefined;
        else push(`inbox ${ev.msg}`, 'R_INBOX', [ev.node, ev.unit, ev.from, ev.msg]);
        break;
      case 'drain':
      case 'unhold':
        push(ev.kind, ev.kind === 'drain' ? 'R_DRAIN' : 'R_UNHOLD', [ev.node, ev.unit]);
        break;
      case 'evict':
        push(ev.skip ? 'evict (push in progress)' : 'evict', 'R_EVICT', [ev.node, ev.unit], true);
        if (ev.skip) subs.at(-1)!.peerSeen = true; // asks nobody
        break;
      case 'reserve': {
        const s = [...subs].reverse().find((x) => x.picks && !x.peerSeen);
        if (!s) throw new Error(`code trace: a reserve from node ${ev.node} outside an eviction or credit`);
        s.peer = ev.to;
        s.peerSeen = true;
        break;
      }
      case 'choice': {
        const s = subs.at(-1);
        if (!s) throw new Error('code trace: a choice outside any step');
        s.choices.push(ev.yes);
        break;
      }
    }
  }
  return subs;
}

const describe = (s: SubStep) => `${s.name} (${s.args.join(', ')})${s.picks ? ` peer ${s.peer === NONE ? 'none' : s.peer}` : ''}${s.choices.length ? ` choices ${s.choices.map(Number).join(',')}` : ''}`;

/** The driver's steps: every code step's model steps, then R_SYNC with the code step's index. */
function driverSteps(trace: CodeTrace): Array<{ step: number; sub?: number; s: SubStep }> {
  return trace.steps.flatMap((st, i) => [
    ...subSteps(st.events).map((s, k) => ({ step: i, sub: k, s })),
    { step: i, s: { name: 'sync', kind: 'R_SYNC', args: [i], choices: [], picks: false, peer: NONE } },
  ]);
}

/** The Promela driver for a recorded run: the steps as data, replayed by dsm-replay.pml's replayRun. */
export function promelaDriver(trace: CodeTrace, model = join(modelDir, 'dsm.pml')): string {
  const steps = driverSteps(trace);
  const data = steps.map(({ s }, i) => {
    if (s.choices.length > 8) throw new Error(`code trace: ${s.choices.length} choices in one step (the driver holds 8)`);
    const cells = [`rk[${i}] = ${s.kind}`, ...s.args.map((a, j) => `ra${j + 1}[${i}] = ${a}`),
      `rpeer[${i}] = ${s.picks ? s.peer : 'R_NOPICK'}`];
    if (s.choices.length) cells.push(`rc[${i}] = ${s.choices.length}`, `rv[${i}] = ${s.choices.reduce((m, c, j) => m | (+c << j), 0)}`);
    return `    ${cells.join('; ')};`;
  });
  return ['/* generated by dsm/src/testing/code-replay.ts: a recorded run of the code, forced through the model */',
    '#define REPLAY 1', `#define RSTEPS ${Math.max(1, steps.length)}`, `#include "${model}"`, '', 'init {', '  atomic { initState() };',
    '  d_step {', ...data, '    skip', '  };', '  replayRun()', '}', ''].join('\n');
}

export interface CodeReplayResult {
  /** Code steps the model followed and matched. */
  steps: number;
  /** Model steps taken (sub-steps of the code's steps). */
  modelSteps: number;
  /** (node, unit) states compared. */
  compared: number;
  /** Sub-steps by kind (rDeliver GRANT, rDrain, ...): what the run covered. */
  covered: Record<string, number>;
  /** The first divergence: the step the model could not take, or the state that differs. */
  error?: string;
}

/** Runs spin on the driver (in a temp dir it deletes) and checks the model followed the code. */
export async function replayInModel(trace: CodeTrace, defines: Record<string, number>, model?: string): Promise<CodeReplayResult> {
  const N = defines.N;
  const U = defines.U;
  const res: CodeReplayResult = { steps: 0, modelSteps: 0, compared: 0, covered: {} };
  const steps = driverSteps(trace);
  for (const { s } of steps) {
    if (s.kind === 'R_SYNC') continue;
    for (const k of [s.name, ...s.choices.map((c) => `choice ${c ? 'yes' : 'no'}`)]) res.covered[k] = (res.covered[k] ?? 0) + 1;
    res.modelSteps++;
  }
  const dir = mkdtempSync(join(tmpdir(), 'unum-code-replay-'));
  let text: string;
  try {
    const file = join(dir, 'driver.pml');
    writeFileSync(file, promelaDriver(trace, model));
    const defs = { ...defines, ...replayBounds };
    text = await spin([...Object.entries(defs).map(([k, v]) => `-D${k}=${v}`), file], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = text.split('\n').map((l) => l.trim());
  let sub = '';
  let sync = -1;
  let state: number[][] = [];
  for (const line of lines) {
    if (line.startsWith('SUB ')) sub = line.slice(4);
    else if (line.startsWith('SYNC ')) {
      sync = Number(line.slice(5));
      state = [];
    } else if (line.startsWith('ST ')) {
      state.push(parseStateLine(line).values);
      if (state.length === N * U) {
        for (let n = 0; n < N; n++) {
          for (let u = 0; u < U; u++) {
            const diff = stateDiff(state[n * U + u], trace.steps[sync].state[n * U + u]);
            if (diff.length > 0) return { ...res, error: where(trace, sync, undefined, `node ${n} unit ${u} differs: ${diff.join(', ')}`) };
            res.compared++;
          }
        }
        res.steps = sync + 1;
      }
    } else if (/Error: assertion violated/.test(line) || line.startsWith('spin: text of failed assertion')) {
      const { step: i, sub: k } = steps[Number(sub)] ?? { step: 0 };
      const at = line.match(/^spin: (\S+):(\d+), Error/);
      const why = at ? assertComment(at[1], Number(at[2])) : '';
      const assertion = lines.find((l) => l.startsWith('spin: text of failed assertion'))?.replace('spin: text of failed assertion: ', '') ?? line;
      return { ...res, error: where(trace, i, k, `the model cannot follow: ${why ? `${why}: ` : ''}${assertion}`) };
    } else if (/^spin: .*(error|Error)|syntax error/.test(line)) return { ...res, error: `spin failed: ${line}` };
  }
  if (!lines.includes('REPLAY DONE')) return { ...res, error: `the model's replay did not finish (last step ${sub}):\n${text.slice(-1500)}` };
  return res;
}

/** "code step i (model step k): why", with the model steps of that code step, for an error message. */
function where(trace: CodeTrace, i: number, k: number | undefined, why: string): string {
  const calls = subSteps(trace.steps[i]?.events ?? []).map((s, j) => `${j === k ? '> ' : '  '}${describe(s)}`);
  return `code step ${i} of ${trace.steps.length}${k === undefined ? '' : ` (model step ${k})`}: ${why}\n  model steps of this code step:\n    ${calls.join('\n    ')}`;
}

/** The comment on the assert spin reports (`/* why *\/`), from the model's source. */
function assertComment(file: string, line: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n')[line - 1]?.match(/\/\*\s*(.*?)\s*\*\//)?.[1] ?? '';
  } catch {
    return '';
  }
}

function spin(args: string[], cwd: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('spin', args, { cwd });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

/** The code's seeded run of `defines`, recorded and replayed in the model. */
export async function checkCodeSeed(defines: Record<string, number>, seed: number, opts: RecordOptions & { model?: string } = {}): Promise<CodeReplayResult> {
  const trace = await recordCodeRun(defines, seed, opts);
  if (trace.error) return { steps: 0, modelSteps: 0, compared: 0, covered: {}, error: `the code failed on its own: ${trace.error}` };
  return replayInModel(trace, defines, opts.model);
}
