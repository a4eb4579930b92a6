/**
 * The `unum vm` parent command (VMs on a standing cluster). Each subcommand
 * (list, stop) is its own CliCommand that adds itself here; whichever
 * registers first creates the parent.
 *
 * @example
 *   vmGroup(program).command('list').action(...)
 */
import type { Command } from 'commander';

export function vmGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'vm')
    ?? program.command('vm').description('VMs on a standing cluster: list, stop');
}
