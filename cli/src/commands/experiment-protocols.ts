/**
 * `unum experiment protocols`: the DSM protocol lab (docs/protocol-lab.md).
 * Flags are lists (comma-separated) that span the run matrix; everything
 * is checked before the first run starts.
 */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { parseProtocol, placements, protocolKnobs, protocolNames } from '@unum/dsm';
import { checkKnobs, knobFlags, knobText, parseKnobValue, type KnobName } from '../knob-flags.js';
import type { CliCommand } from '../command.js';
import { DEFAULT_QUANTUM, QUANTUM_MAX, QUANTUM_MIN } from '@unum/coordinator';
import { experimentGroup } from '../experiment-group.js';
import { parseIntIn, parseSize } from '../parse.js';
import { parseDuration } from '../memory-options.js';
import { UsageError } from '../usage-error.js';
import { REPO, UNUM_BIN } from '../paths.js';
import {
  LAB_SIZES, LAB_WORKLOADS, MatrixInterrupted, parseArgOverrides, runProtocolLab, variantLabel, workloadArgs, writeLabReports,
  type LabOptions, type LabOutcome, type LabRow, type LabSize,
} from '@unum/lab';

/** Eight mechanisms: the three IVY managers, each modifier on ivy-dynamic, and home-based. */
export const DEFAULT_PROTOCOLS = [
  'ivy-central', 'ivy-fixed', 'ivy-dynamic', 'ivy-dynamic+mirage', 'ivy-dynamic+prefetch', 'ivy-dynamic+own-read', 'ivy-dynamic+update', 'home-based',
];

interface ProtocolsCliOptions {
  workloads: string; protocols: string; units: string; nodes: string; linkLatency: string; pagePlacement: string; placement: string;
  vcpusPerNode: string; repeat: string; seed: string; size: string; args: string[]; mem: string; timeout: string; trace?: boolean;
  hot: string; jobs: string; out: string; from?: string; deterministic?: boolean; quantum?: string;
}

async function rerender(file: string, out: string, hotTop: number): Promise<LabOutcome> {
  let saved: { command: string; baseline: string; seed: number; repeat: number; started: string; runs: LabRow[]; quantum?: number | null };
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as typeof saved;
  } catch (e) {
    throw new UsageError(`cannot read --from ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(saved.runs) || typeof saved.baseline !== 'string') throw new UsageError(`--from ${file}: not a protocol lab results.json`);
  for (const r of saved.runs) { // results from before the knob flags: every variant ran with its defaults
    r.knobs ??= {};
    r.variant ??= variantLabel(r.protocol, r.knobs);
  }
  return writeLabReports(saved.runs, {
    out, command: saved.command, baseline: saved.baseline, seed: saved.seed, repeat: saved.repeat, hotTop, started: new Date(saved.started), runs: saved.runs.length,
    quantum: saved.quantum ?? undefined,
  });
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);
function unique<T>(xs: T[], what: string): T[] {
  const dup = xs.find((x, i) => xs.indexOf(x) !== i);
  if (dup !== undefined) throw new UsageError(`--${what} lists '${String(dup)}' twice`);
  if (!xs.length) throw new UsageError(`--${what} is empty`);
  return xs;
}

/** A protocol name as typed, canonical (modifiers in any order); one line listing every name when unknown. */
function canonical(p: string): string {
  try {
    return parseProtocol(p).canonical;
  } catch (e) {
    throw new UsageError(`unknown protocol '${p}': ${(e as Error).message.replace(/^[^:]*: /, '').replace(/ \(have: .*$/, '')} (have: ${protocolNames().join(', ')})`);
  }
}

/** The knob lists: each value checked by the DSM registry against every listed protocol that reads the knob; a knob no listed protocol reads is an error. */
function knobListsOf(o: ProtocolsCliOptions, protocols: string[]): Partial<Record<KnobName, number[]>> {
  const out: Partial<Record<KnobName, number[]>> = {};
  for (const k of knobFlags()) {
    const text = knobText(o, k);
    if (text === undefined) continue;
    const values = unique(list(text).map((v) => parseKnobValue(v, `--${k.flag}`)), k.flag);
    const readers = protocols.filter((p) => protocolKnobs(p).some((s) => s.name === k.knob));
    if (!readers.length) {
      try {
        checkKnobs(protocols[0]!, { [k.knob]: values[0] });
      } catch (e) {
        throw new UsageError((e as Error).message.replace(/on DSM protocol "[^"]*"/, 'on any of --protocols'));
      }
    }
    for (const p of readers) for (const v of values) checkKnobs(p, { [k.knob]: v });
    out[k.knob] = values;
  }
  return out;
}

export function labOptionsOf(o: ProtocolsCliOptions, command: string): LabOptions {
  const workloads = unique(list(o.workloads), 'workloads');
  for (const w of workloads) if (!LAB_WORKLOADS.includes(w)) throw new UsageError(`unknown workload '${w}' (have: ${LAB_WORKLOADS.join(', ')})`);
  const protocols = unique(list(o.protocols).map(canonical), 'protocols');
  const knobs = knobListsOf(o, protocols);
  const units = unique(list(o.units), 'units').map((text) => {
    const bytes = parseSize(text, '--units');
    if (bytes < 4096 || bytes > 65536 || (bytes & (bytes - 1)) !== 0) throw new UsageError(`bad --units '${text}': a power of two from 4K to 64K`);
    return { text: text.toUpperCase(), bytes };
  });
  const nodes = unique(list(o.nodes).map((n) => parseIntIn(n, '--nodes', 1, 16)), 'nodes');
  const linkLatencies = unique(list(o.linkLatency), 'link-latency');
  for (const l of linkLatencies) parseDuration(l, '--link-latency');
  const pagePlacements = unique(list(o.pagePlacement), 'page-placement');
  for (const p of pagePlacements) if (!(placements as readonly string[]).includes(p)) throw new UsageError(`bad --page-placement '${p}' (have: ${placements.join(', ')})`);
  if (!(LAB_SIZES as readonly string[]).includes(o.size)) throw new UsageError(`bad --size '${o.size}' (have: ${LAB_SIZES.join(', ')})`);
  let overrides: ReturnType<typeof parseArgOverrides>;
  try {
    overrides = parseArgOverrides(o.args);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  for (const w of overrides.keys()) if (!workloads.includes(w)) throw new UsageError(`--args for '${w}', which is not in --workloads`);
  parseSize(o.mem, '--mem');
  return {
    workloads, protocols, knobs, units, nodes, linkLatencies, pagePlacements,
    argsOf: (w) => workloadArgs(w, o.size as LabSize, overrides.get(w)),
    vcpusPerNode: parseIntIn(o.vcpusPerNode, '--vcpus-per-node', 1, 8),
    repeat: parseIntIn(o.repeat, '--repeat', 1, 100),
    seed: parseIntIn(o.seed, '--seed', 0, 2 ** 31),
    out: o.out, trace: o.trace === true, jobs: parseIntIn(o.jobs, '--jobs', 1, 16), command,
    run: {
      unumArgv: [process.execPath, UNUM_BIN], guestDir: `${REPO}guest/bin`, mem: o.mem,
      quantum: o.quantum !== undefined ? parseIntIn(o.quantum, '--quantum', QUANTUM_MIN, QUANTUM_MAX) : o.deterministic ? DEFAULT_QUANTUM : undefined,
      timeoutMs: parseIntIn(o.timeout, '--timeout', 1, 86_400) * 1000, placement: o.placement, hotTop: parseIntIn(o.hot, '--hot', 1, 16),
    },
  };
}

export const experimentProtocolsCommand: CliCommand = {
  name: 'experiment protocols',
  register(program: Command, done: (status: number) => void): void {
    const cmd = experimentGroup(program)
      .command('protocols')
      .description('DSM protocol lab: compare protocol variants on guest workloads (CSV, JSON, tables, plots, hot units, summary)')
      .requiredOption('--out <dir>', 'output directory')
      .option('--workloads <list>', `from ${LAB_WORKLOADS.join(', ')}`, 'matmul,jacobi,falseshare,pingpong,lock,radix')
      .option('--protocols <list>', 'DSM variants (base[+modifier...]); the first is the baseline for ratios', DEFAULT_PROTOCOLS.join(','))
      .option('--units <list>', 'coherence units, 4K..64K', '4K');
    for (const k of knobFlags()) cmd.option(`--${k.flag} <list>`, `${k.help}; a list sweeps it, only over the protocols that have it`);
    cmd
      .option('--nodes <list>', 'agent processes per run', '2')
      .option('--link-latency <list>', 'one-way latency added to each DSM link, e.g. 0,50us,200us', '0')
      .option('--page-placement <list>', `initial page owners: ${placements.join(', ')}`, 'node0')
      .option('--placement <spec>', 'vCPUs on nodes, as unum run --placement', 'rr')
      .option('--vcpus-per-node <n>', 'vCPUs per node (guest threads = nodes × this)', '1')
      .option('--repeat <n>', 'runs per configuration', '3')
      .option('--seed <n>', 'seed of the shuffled run order', '1')
      .addOption(new Option('--size <preset>', 'workload sizes').choices([...LAB_SIZES]).default('small'))
      .option('--args <workload:k=v,...>', 'override bootargs of one workload (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
      .option('--mem <size>', 'guest RAM', '128M')
      .option('--timeout <s>', 'per-run timeout in seconds', '300')
      .option('--deterministic', `lockstep mode for every run (unum run --deterministic): counters repeat exactly; runtimes include coordination`)
      .option('--quantum <n>', `instructions per lockstep quantum (implies --deterministic; default ${DEFAULT_QUANTUM})`)
      .option('--trace', 'write a per-fault JSONL trace per run (trace/<run>/node<k>.jsonl)')
      .option('--hot <n>', 'hot units listed per configuration', '8')
      .option('--jobs <n>', 'runs at a time (more than 1 disturbs timing)', '1')
      .option('--from <results.json>', 'run nothing: rewrite every report from an earlier results.json into --out')
      .addHelpText('after', [
        '',
        'Example: unum experiment protocols --workloads falseshare,memscan --protocols ivy-central,ivy-dynamic+mirage \\',
        '           --units 4K,64K --nodes 2 --repeat 3 --out lab/',
      ].join('\n'))
      .action(async (opts: ProtocolsCliOptions) => {
        if (opts.from !== undefined) {
          const r = await rerender(opts.from, opts.out, parseIntIn(opts.hot, '--hot', 1, 16));
          process.stdout.write(r.summary);
          done(r.failed ? 1 : 0);
          return;
        }
        const lab = labOptionsOf(opts, `unum experiment protocols ${process.argv.slice(4).join(' ')}`.trim());
        let r: Awaited<ReturnType<typeof runProtocolLab>>;
        try {
          r = await runProtocolLab(lab);
        } catch (e) {
          if (!(e instanceof MatrixInterrupted)) throw e;
          process.stderr.write(`unum: ${e.message}; every run's processes were killed\n`);
          done(130);
          return;
        }
        process.stderr.write(`unum: ${r.rows.length} runs, ${r.failed} failed, ${r.nondeterministic} configuration(s) with differing counters; results in ${lab.out}\n`);
        process.stdout.write(r.summary);
        done(r.failed ? 1 : 0);
      });
  },
};
