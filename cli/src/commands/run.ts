/**
 * `unum run X.elf --vcpus N --mem SIZE [VM flags] [-- bootargs...]`: boot an
 * ELF as `qemu-system-riscv64 -M virt -bios none -kernel X.elf` would, on
 * one node in this process, on N agent processes (--nodes), or on a
 * standing cluster (--cluster). UART on stdin/stdout, exit status = the
 * guest's finisher code. Every flag is parsed once into a VmSpec, and the
 * ELF is checked, before anything starts.
 */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { MAX_VCPUS } from '@unum/coordinator';
import { parseElf, RAM_BASE } from '@unum/machine';
import type { CliCommand } from '../command.js';
import { parseIntIn, parseSize } from '../parse.js';
import { addClusterOptions, vmRequestOf, type ClusterRunOptions } from '../cluster-options.js';
import { runVm } from '../cluster-run.js';
import { UsageError } from '../usage-error.js';

interface RunOptions extends ClusterRunOptions {
  vcpus: string;
  mem: string;
  logLevel: string;
  /** Who answers S-mode ecalls: the guest's M-mode code, or the node agents (docs/sbi.md). */
  sbi?: 'firmware' | 'builtin';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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
  const { request, spec, target } = vmRequestOf(opts, vcpus, memBytes);
  if (opts.sbi === 'builtin' && target.kind === 'cluster') throw new UsageError('--sbi builtin is not carried to a standing cluster yet (CreateVm has no field for it)');
  const kernel = await readElf(elfPath);
  parseElf(kernel, { base: RAM_BASE, size: memBytes }); // a bad image is one line here, before any agent starts
  const logger = pino({ level: opts.logLevel, base: undefined }, pino.destination(2));
  return runVm({ boot: { kernel, bootargs: bootargs.join(' '), sbi: opts.sbi }, spec, request, target, logger, logLevel: opts.logLevel }, opts);
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
      .addOption(new Option('--sbi <where>', 'who answers S-mode ecalls: firmware (the guest\'s M-mode code) or builtin (the node agents, '
        + 'as KVM does; only hart 0 starts, the others wait for SBI hart_start; docs/sbi.md)').choices(['firmware', 'builtin']).default('firmware'))
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
