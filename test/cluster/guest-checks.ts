/**
 * The t-* test guests (guest/tests/) and what a correct run of each prints,
 * shared by the QEMU suite and the unum suites: one check per guest, whatever
 * ran it.
 *
 * @example
 *   const c = GUEST_CASES.find((g) => g.name === 't-atomics')!;
 *   c.check(await runQemu(guestElf(c.name), { smp: c.harts, append: c.args.qemu }), c.harts, c.args.qemu);
 */
import { expect } from 'vitest';
import { parseResultLine, type ResultLine } from '../support/result-line.js';

/** What any runner returns that the checks need. */
export interface GuestOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
}

export const SLOW = Boolean(process.env.UNUM_SLOW);

export interface GuestCase {
  name: string;
  /** harts to run on; each thread on its own node in the cluster runs */
  harts: number;
  /** bootargs: under QEMU, under unum (slower: few iterations), and with UNUM_SLOW */
  args: { qemu: string; unum: string; slow: string };
  check(out: GuestOutput, harts: number, append: string): ResultLine[];
}

const describeRun = (out: GuestOutput): string =>
  `exit ${out.exitCode}${out.timedOut ? ' (timed out)' : ''}\n--- stdout ---\n${out.stdout.slice(-4000)}\n--- stderr ---\n${out.stderr.slice(-2000)}`;

/** Every RESULT line, each checked for the SDK format. */
export function resultLines(stdout: string): ResultLine[] {
  return stdout.split(/\r?\n/).filter((l) => l.startsWith('RESULT ')).map(parseResultLine);
}

/** Exit 0, no timeout, and `count` RESULT lines named `name`, all verify=ok. */
export function expectPassed(out: GuestOutput, name: string, count = 1): ResultLine[] {
  expect(out.timedOut, describeRun(out)).toBe(false);
  expect(out.exitCode, describeRun(out)).toBe(0);
  const lines = resultLines(out.stdout);
  expect(lines.length, describeRun(out)).toBe(count);
  for (const r of lines) {
    expect(r.name).toBe(name);
    expect(r.verified, describeRun(out)).toBe(true);
  }
  return lines;
}

const argOf = (append: string, key: string, def: number): bigint => {
  const m = new RegExp(`(?:^|\\s)${key}=(\\d+)`).exec(append);
  return BigInt(m ? m[1] : def);
};

const M64 = (1n << 64n) - 1n;
/** The SDK's mix64 (splitmix64 finalizer). */
export function mix64(v: bigint): bigint {
  let x = (v + 0x9e3779b97f4a7c15n) & M64;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & M64;
  return x ^ (x >> 31n);
}

/** The SDK's par_split: [lo, hi) of n items for thread tid. */
export function parSplit(n: number, tid: number, threads: number): [number, number] {
  const q = Math.floor(n / threads), r = n % threads;
  const lo = q * tid + Math.min(tid, r);
  return [lo, lo + q + (tid < r ? 1 : 0)];
}

export const LITMUS_SHAPES = ['sb', 'mp', 'lb', 'iriw', 'wrc', '2+2w', 'corr'] as const;
const SHAPE_REGS: Record<string, number> = { sb: 2, mp: 2, lb: 2, iriw: 4, wrc: 3, '2+2w': 2, corr: 2 };
/** The outcome sequential consistency forbids, as the guest names it. */
export const SC_FORBIDDEN: Record<string, string> = { sb: 'o00', mp: 'o10', lb: 'o11', iriw: 'o1010', wrc: 'o110', '2+2w': 'o00', corr: 'o10' };

/**
 * t-litmus: one RESULT line per shape that ran; counts add up to iters; no
 * impossible values; and no forbidden outcome where the run claims none
 * (sc=1, fences=1, or CoRR). Returns the per-shape outcome counts.
 */
export function checkLitmus(out: GuestOutput, append: string): Map<string, Map<string, bigint>> {
  const shapesArg = /shapes=(\S+)/.exec(append)?.[1] ?? 'all';
  const shapes = shapesArg === 'all' ? [...LITMUS_SHAPES] : shapesArg.split(',');
  const iters = argOf(append, 'iters', 1000);
  const sc = argOf(append, 'sc', 0) === 1n, fences = argOf(append, 'fences', 0) === 1n;
  const lines = expectPassed(out, 't-litmus', shapes.length);
  const counts = new Map<string, Map<string, bigint>>();
  for (const r of lines) {
    const shape = r.fields.shape;
    const outcomes = new Map<string, bigint>();
    for (const [k, v] of Object.entries(r.fields)) if (/^o[01]+$/.test(k)) outcomes.set(k, BigInt(v));
    for (const k of outcomes.keys()) expect(k.length - 1, `${shape} outcome ${k}`).toBe(SHAPE_REGS[shape]);
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0n);
    expect(total, `${shape}: outcome counts must add up to iters`).toBe(iters);
    expect(r.int('weird'), `${shape}: impossible register values`).toBe(0n);
    expect(r.int('forbidden')).toBe(outcomes.get(SC_FORBIDDEN[shape]) ?? 0n);
    if (sc || fences || shape === 'corr') expect(r.int('forbidden'), `${shape}: SC-forbidden outcome seen\n${r.fields}`).toBe(0n);
    counts.set(shape, outcomes);
  }
  expect([...counts.keys()].sort()).toEqual([...shapes].sort());
  return counts;
}

/** t-uart: every line whole, in the documented format, printed by the right hart, each exactly once. */
export function checkUart(out: GuestOutput, harts: number, append: string): ResultLine[] {
  const lines = Number(argOf(append, 'lines', 400));
  const result = expectPassed(out, 't-uart');
  const seen = new Set<number>();
  const body = out.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('RESULT '));
  for (const l of body) {
    const m = /^uart: hart=(\d+) line=(\d+) text=([0-9a-f]+)$/.exec(l);
    expect(m, `mangled UART line ${JSON.stringify(l)}`).not.toBeNull();
    const [hart, i, text] = [Number(m![1]), Number(m![2]), m![3]];
    expect(seen.has(i), `line ${i} printed twice`).toBe(false);
    seen.add(i);
    expect(text, `line ${i} text`).toBe(mix64(BigInt(i)).toString(16).padStart(16, '0').repeat(1 + (i % 4)));
    const [lo, hi] = parSplit(lines, hart, harts);
    expect(i >= lo && i < hi, `line ${i} printed by hart ${hart}`).toBe(true);
  }
  expect(seen.size).toBe(lines);
  return result;
}

/** t-same: the "t-same:" result line (compared across machines by the caller). */
export function sameSummary(out: GuestOutput): string {
  const r = expectPassed(out, 't-same')[0];
  const lines = out.stdout.split('\n').filter((l) => l.startsWith('t-same: '));
  expect(lines, describeRun(out)).toHaveLength(1);
  return `${lines[0]} checksum=${r.checksum}`;
}

export const GUEST_CASES: GuestCase[] = [
  {
    name: 't-atomics', harts: 3,
    args: { qemu: 'k=2000', unum: 'k=20', slow: 'k=5000' },
    check(out, harts, append) {
      const r = expectPassed(out, 't-atomics');
      const nk = BigInt(harts) * argOf(append, 'k', 10000);
      for (const key of ['amo_d', 'lrsc_d', 'ticket', 'spin']) expect(r[0].int(key), key).toBe(nk);
      return r;
    },
  },
  {
    name: 't-barrier', harts: 3,
    args: { qemu: 'rounds=50 items=1000', unum: 'rounds=6 items=20 ring=4', slow: 'rounds=1000 items=5000' },
    check: (out) => expectPassed(out, 't-barrier'),
  },
  {
    name: 't-ipi', harts: 3,
    args: { qemu: 'rounds=5', unum: 'rounds=2', slow: 'rounds=20' },
    check(out, harts) {
      const r = expectPassed(out, 't-ipi');
      for (let h = 0; h < harts; h++) expect(out.stdout).toMatch(new RegExp(`^t-ipi: hart ${h} msi=\\d+ mti=\\d+ early=0 msip_stuck=0 ok$`, 'm'));
      return r;
    },
  },
  {
    name: 't-uart', harts: 3,
    args: { qemu: 'lines=300', unum: 'lines=24', slow: 'lines=2000' },
    check: checkUart,
  },
  {
    name: 't-same', harts: 3,
    args: { qemu: 'n=16K rounds=4', unum: 'n=4K rounds=2', slow: 'n=64K rounds=8' },
    check(out) {
      sameSummary(out);
      return resultLines(out.stdout);
    },
  },
];

export const caseArgs = (c: GuestCase, runner: 'qemu' | 'unum'): string => (SLOW ? c.args.slow : c.args[runner]);
