/**
 * `unum` entry point: a table of subcommands (one file each) on a commander
 * program. Bad input of any kind ends as one line on stderr and status 2;
 * stdout carries nothing but guest output.
 */
import { Command, CommanderError } from 'commander';
import { ElfError, MachineError } from '@unum/coordinator';
import type { CliCommand } from './command.js';
import { ClusterSecretError } from '@unum/node-agent';
import { ListenError, loadVariantModules } from '@unum/dsm';
import { agentCommand } from './commands/agent.js';
import { coordinatorCommand } from './commands/coordinator.js';
import { demoCommand } from './commands/demo.js';
import { experimentMemoryCliffCommand } from './commands/experiment-memory-cliff.js';
import { experimentLinuxCliffCommand } from './commands/experiment-linux-cliff.js';
import { experimentProtocolsCommand } from './commands/experiment-protocols.js';
import { healthCommand } from './commands/health.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { vmListCommand } from './commands/vm-list.js';
import { vmStopCommand } from './commands/vm-stop.js';
import { vmMigrateCommand } from './commands/vm-migrate.js';
import { ClusterRunError } from './cluster-run-error.js';
import { UsageError } from './usage-error.js';

const COMMANDS: CliCommand[] = [demoCommand, runCommand, coordinatorCommand, agentCommand, healthCommand, statusCommand, vmListCommand, vmStopCommand, vmMigrateCommand, experimentProtocolsCommand, experimentMemoryCliffCommand, experimentLinuxCliffCommand];

export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 1;

export async function main(argv: string[]): Promise<number> {
  try {
    await loadVariantModules(process.env.UNUM_DSM_MODULES); // their knobs become flags below
  } catch (e) {
    process.stderr.write(`unum: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  let status = 0;
  const program = new Command('unum')
    .description('unum: several machines as one RISC-V virtual machine (QEMU virt compatible)')
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`unum: ${s.replace(/^error: /, '')}`),
    });
  for (const c of COMMANDS) c.register(program, (s) => { status = s; });
  try {
    await program.parseAsync(argv);
    return status;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE; // commander printed the line
    if (e instanceof ClusterRunError) {
      process.stderr.write(`unum: ${e.message}\n`);
      return EXIT_INTERNAL;
    }
    if (e instanceof UsageError || e instanceof ElfError || e instanceof MachineError || e instanceof ClusterSecretError || e instanceof ListenError) {
      process.stderr.write(`unum: ${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`unum: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.UNUM_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return EXIT_INTERNAL;
  }
}
