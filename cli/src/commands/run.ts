/**
 * `unum run X.elf --vcpus N --mem SIZE [-- bootargs...]`: boot an ELF on a
 * one-node machine, UART on stdin/stdout, exit status = the guest's finisher
 * code. Cluster flags (--nodes, --placement, --protocol, --unit, --stats)
 * join this table in cluster-options.ts with the cluster issue.
 */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { Machine } from '@unum/coordinator';
import type { CliCommand } from '../command.js';
import { parseIntIn, parseSize } from '../parse.js';
import { StdioConsole } from '../stdio-console.js';
import { addClusterOptions, wantsCluster, type ClusterRunOptions } from '../cluster-options.js';
import { KNOB_FLAGS, knobText } from '../knob-flags.js';
import { runCluster } from '../cluster-run.js';
import { UsageError } from '../usage-error.js';

interface RunOptions extends ClusterRunOptions {
  vcpus: string;
  mem: string;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const MAX_VCPUS = 64;

async function readElf(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
}

export async function runAction(elfPath: string, bootargs: string[], opts: RunOptions): Promise<number> {
  const vcpus = parseIntIn(opts.vcpus, '--vcpus', 1, MAX_VCPUS);
  const memBytes = parseSize(opts.mem, '--mem');
  const logger = pino({ level: opts.logLevel, base: undefined }, pino.destination(2));
  const elf = await readElf(elfPath);
  const knob = KNOB_FLAGS.find((k) => knobText(opts, k) !== undefined);
  if (knob && !wantsCluster(opts)) throw new UsageError(`--${knob.flag} tunes the DSM, which runs with --nodes or --cluster`);
  if (wantsCluster(opts)) {
    return runCluster({ elf, bootargs: bootargs.join(' '), vcpus, memBytes, logger, logLevel: opts.logLevel }, opts);
  }
  let machine: Machine | undefined;
  const console = new StdioConsole(process.stdin, process.stdout, (why) => machine?.stop(why));
  machine = await Machine.create({ elf, vcpus, memBytes, bootargs: bootargs.join(' '), console, logger });
  const onSignal = (): void => machine?.stop('interrupted');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await machine.run();
    await console.flush();
    if (result.outcome.kind === 'stopped') process.stderr.write(`unum: ${result.outcome.reason}\n`);
    return result.exitCode;
  } finally {
    console.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const runCommand: CliCommand = {
  name: 'run',
  register(program: Command, done: (status: number) => void): void {
    const cmd = program
      .command('run')
      .description('run a bare-metal RISC-V ELF (built for qemu-system-riscv64 -M virt -bios none -kernel X.elf)')
      .argument('<elf>', 'ELF64 RISC-V executable')
      .argument('[bootargs...]', 'kernel command line, after --')
      .option('--vcpus <n>', `number of harts (1..${MAX_VCPUS})`, '1')
      .option('--mem <size>', 'guest RAM at 0x80000000, e.g. 128M, 1G', '128M')
      .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('warn'))
      .addHelpText('after', [
        '',
        'Exit status: the guest\'s finisher code (0x5555 -> 0, (c<<16)|0x3333 -> c);',
        '2 for bad input (not an ELF, wrong machine, bad flag, bad size).',
        'Guest UART output goes to stdout; stdin is the UART input.',
        '',
        'Example: unum run hello.elf --vcpus 2 --mem 64M -- console=ttyS0',
        '         unum run matmul.elf --nodes 2 --vcpus 2 --protocol ivy-fixed --stats run.json',
      ].join('\n'));
    addClusterOptions(cmd)
      .action(async (elf: string, bootargs: string[], opts: RunOptions) => {
        done(await runAction(elf, bootargs, opts));
      });
  },
};
