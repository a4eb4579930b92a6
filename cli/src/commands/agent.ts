/**
 * `unum agent --join HOST:PORT [--listen ADDR:PORT] [--advertise HOST:PORT]
 * --node-mem SIZE [--cores N] [--name NAME] [--token-file F]`: a standing
 * node agent. Exits when its coordinator goes away, on SIGINT/SIGTERM, and
 * (when started by `unum run --nodes`) when its parent process dies.
 */
import { hostname } from 'node:os';
import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { isAgentSpecMessage, readClusterToken, runAgent, type AgentSpec } from '@unum/node-agent';
import { checkAddress } from '../address.js';
import type { CliCommand } from '../command.js';
import { LOG_LEVELS } from '../log-levels.js';
import { parseIntIn, parseSize } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { addMemoryOptions, memoryFlagsOf, type MemoryCliOptions } from '../memory-options.js';

interface AgentCliOptions extends MemoryCliOptions {
  join?: string;
  listen: string;
  advertise?: string;
  nodeMem: string;
  cores: string;
  name?: string;
  tokenFile?: string;
  logLevel: string;
  specFromParent?: boolean;
}

/** The flags parsed once into what the agent is. */
function agentSpecOf(o: AgentCliOptions): AgentSpec {
  if (o.join === undefined) throw new UsageError('unum agent needs --join HOST:PORT (the coordinator)');
  const { memory, linkLatencyNs } = memoryFlagsOf(o, 0);
  return {
    join: checkAddress(o.join, '--join'), listen: checkAddress(o.listen, '--listen'),
    advertise: o.advertise === undefined ? undefined : checkAddress(o.advertise, '--advertise'),
    nodeMemBytes: parseSize(o.nodeMem, '--node-mem'), cores: parseIntIn(o.cores, '--cores', 1, 1024), name: o.name ?? hostname(),
    memory, linkLatencyNs,
  };
}

/** An embedded agent: the spec unum run built for it, the first message on the IPC channel. */
function specFromParent(): Promise<AgentSpec> {
  if (!process.send) throw new UsageError('--spec-from-parent needs a parent process with an IPC channel (unum run --nodes starts such agents)');
  return new Promise((resolve) => {
    const take = (m: unknown): void => {
      if (!isAgentSpecMessage(m)) return;
      process.off('message', take);
      resolve(m.spec);
    };
    process.on('message', take);
  });
}

/** Resolves when the agent should leave: a signal, or the parent that spawned it (IPC channel) is gone. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('terminated'));
    if (process.channel) {
      process.channel.unref();
      process.once('disconnect', () => resolve('parent process exited'));
    }
  });
}

export const agentCommand: CliCommand = {
  name: 'agent',
  register(program: Command, done: (status: number) => void): void {
    const cmd = program
      .command('agent')
      .description('run a node agent that joins a coordinator and runs its share of a VM')
      .option('--join <host:port>', 'coordinator address (required)')
      .option('--listen <addr:port>', 'where this agent serves health and DSM links', '0.0.0.0:7701')
      .option('--advertise <host:port>', 'address other nodes reach this agent at (default: from --listen)')
      .option('--node-mem <size>', 'memory this node offers (its frame-pool size)', '512M')
      .option('--cores <n>', 'cores this node offers (packed placement fills them)', '1')
      .option('--name <name>', 'node name (default: host name)')
      .option('--token-file <file>', 'cluster secret (default: $UNUM_TOKEN)')
      .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('warn'))
      .addOption(new Option('--spec-from-parent', 'take the AgentSpec from the parent process over IPC (unum run --nodes)').hideHelp());
    addMemoryOptions(cmd, 'default 0')
      .action(async (o: AgentCliOptions) => {
        const spec = o.specFromParent ? await specFromParent() : agentSpecOf(o);
        const token = readClusterToken({ tokenFile: o.tokenFile });
        const logger = pino({ level: o.logLevel, base: undefined }, pino.destination(2));
        done(await runAgent(spec, { token, logger, shutdown: shutdownSignal() }));
      });
  },
};
