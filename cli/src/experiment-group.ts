/**
 * The `unum experiment` parent command. Each experiment (protocols,
 * memory-cliff, ...) is its own CliCommand that adds a subcommand here;
 * whichever registers first creates the parent.
 *
 * @example
 *   experimentGroup(program).command('protocols').action(...)
 */
import type { Command } from 'commander';

export function experimentGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'experiment')
    ?? program.command('experiment').description('run an experiment matrix and write CSV, JSON, tables, plots and a summary');
}
