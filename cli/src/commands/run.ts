/**
 * `unum run X.elf --vcpus N --mem SIZE [VM flags] [-- bootargs...]`: boot an
 * ELF as `qemu-system-riscv64 -M virt -bios none -kernel X.elf` would; or
 * `unum run --kernel Image [--initrd F] [--append ...] [--bios ...] [--dtb F]`
 * as QEMU boots Linux (boot-options.ts, docs/linux.md); on
 * one node in this process, on N agent processes (--nodes), or on a
 * standing cluster (--cluster). UART on stdin/stdout, exit status = the
 * guest's finisher code. Every flag is parsed once into a VmSpec and a
 * BootSpec, and the boot files are laid out, before anything starts.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { MAX_VCPUS } from '@unum/coordinator';
import type { CliCommand } from '../command.js';
import { parseIntIn, parseSize } from '../parse.js';
import { addClusterOptions, vmRequestOf, type ClusterRunOptions } from '../cluster-options.js';
import { runVm } from '../cluster-run.js';
import { addBootOptions, bootSpecOf, type BootCliOptions } from '../boot-options.js';
import { UsageError } from '../usage-error.js';
import { profileOutputOf } from '../profile-options.js';
import { acrossNodesHint } from '../across-nodes-hint.js';

interface RunOptions extends ClusterRunOptions, BootCliOptions {
  vcpus: string;
  mem: string;
  logLevel: string;
  /** Who answers S-mode ecalls: the guest's M-mode code, or the node agents (docs/sbi.md). */
  sbi?: 'firmware' | 'builtin';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A file the run will write at its end: it (or its directory, if it is new) must be writable now. */
function checkWritable(path: string, flag: string): void {
  const target = existsSync(path) ? path : dirname(resolve(path));
  try {
    accessSync(target, constants.W_OK);
  } catch (e) {
    throw new UsageError(`cannot write ${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

export async function runAction(elfPath: string | undefined, bootargs: string[], opts: RunOptions): Promise<number> {
  const vcpus = parseIntIn(opts.vcpus, '--vcpus', 1, MAX_VCPUS);
  const memBytes = parseSize(opts.mem, '--mem');
  const { request, spec, target } = vmRequestOf(opts, vcpus, memBytes);
  // With --kernel, commander hands the first word after -- to [elf]: it is part of the command line.
  const [elf, after] = opts.kernel !== undefined && elfPath !== undefined ? [undefined, [elfPath, ...bootargs]] : [elfPath, bootargs];
  if (opts.stats !== undefined) checkWritable(opts.stats, '--stats'); // refused now, not after the run
  if (opts.profileDsm !== undefined) checkWritable(opts.profileDsm, '--profile-dsm');
  const boot = await bootSpecOf(elf, after, opts, { vcpus, memBytes }); // bad files: one line, before any agent starts
  const profile = profileOutputOf(opts, boot, { vcpus, memBytes });
  const hint = acrossNodesHint(opts.kernel !== undefined, opts.append ?? after.join(' '), vcpus, target);
  if (hint !== undefined) process.stderr.write(`${hint}\n`);
  const logger = pino({ level: opts.logLevel, base: undefined }, pino.destination(2));
  return runVm({ boot, spec, request, target, logger, logLevel: opts.logLevel, profile }, opts);
}

export const runCommand: CliCommand = {
  name: 'run',
  register(program: Command, done: (status: number) => void): void {
    const cmd = program
      .command('run')
      .description('run a bare-metal RISC-V ELF (built for qemu-system-riscv64 -M virt -bios none -kernel X.elf), or boot Linux with --kernel')
      .argument('[elf]', 'bare-metal ELF64 RISC-V executable (= --bios none --kernel X.elf, every hart in M-mode)')
      .argument('[bootargs...]', 'kernel command line, after --')
      .option('--vcpus <n>', `number of harts (1..${MAX_VCPUS})`, '1')
      .option('--mem <size>', 'guest RAM at 0x80000000, e.g. 128M, 1G', '128M')
      .addOption(new Option('--sbi <where>', 'who answers S-mode ecalls: firmware (the guest\'s M-mode code) or builtin (the node agents, '
        + 'as KVM does; only hart 0 starts, the others wait for SBI hart_start; docs/sbi.md)').choices(['firmware', 'builtin']).default('firmware'))
      .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('warn'))
      .addHelpText('after', [
        '',
        'Exit status: the guest\'s finisher code (0x5555 -> 0, (c<<16)|0x3333 -> c);',
        '2 for bad input (not an ELF, wrong machine, bad flag, bad size, a bad --kernel/--initrd/--dtb/--bios).',
        'Guest UART output goes to stdout; stdin is the UART input.',
        '',
        'Example: unum run hello.elf --vcpus 2 --mem 64M -- console=ttyS0',
        '         unum run matmul.elf --nodes 2 --vcpus 2 --protocol ivy-fixed --stats run.json',
        '         unum run --kernel Image --initrd initramfs.cpio.gz --append console=hvc0 --vcpus 2 --mem 256M',
        '         unum run --kernel Image --initrd initramfs.cpio.gz --bios default --append console=ttyS0   (docs/linux.md)',
      ].join('\n'));
    addClusterOptions(addBootOptions(cmd))
      .action(async (elf: string | undefined, bootargs: string[], opts: RunOptions) => {
        done(await runAction(elf, bootargs, opts));
      });
  },
};
