/** A CLI subcommand: registers itself on the program and reports an exit status. */
import type { Command } from 'commander';

export interface CliCommand {
  name: string;
  /** Add the subcommand to `program`; its action calls `done(status)`. */
  register(program: Command, done: (status: number) => void): void;
}
