/**
 * `unum coordinator --listen ADDR:PORT [--dashboard ADDR:PORT]`: a standing
 * coordinator. Agents join it; clients create VMs through its gRPC API.
 * Runs until SIGINT/SIGTERM, then stops its VMs and dismisses its agents.
 */
import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { readClusterToken } from '@unum/node-agent';
import { CoordinatorServer, coordinatorDashboard, DEFAULT_HEARTBEAT_TIMEOUT_MS } from '@unum/coordinator';
import { parseHeartbeatTimeout } from '../cluster-options.js';
import type { CliCommand } from '../command.js';
import { LOG_LEVELS } from '../log-levels.js';
import { UsageError } from '../usage-error.js';
import { checkAddress } from '../address.js';

interface CoordinatorCliOptions {
  listen: string;
  dashboard?: string;
  dashboardHost: string[];
  tokenFile?: string;
  logLevel: string;
  heartbeatTimeout?: string;
}

/** One `--dashboard-host` value: a host name or IP (no port, scheme or path). */
function collectHost(text: string, all: string[]): string[] {
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$|^\[[0-9a-f:.]+\]$/i.test(text)) throw new UsageError(`bad --dashboard-host '${text}': use a host name or address, no port`);
  return [...all, text];
}

export const coordinatorCommand: CliCommand = {
  name: 'coordinator',
  register(program: Command, done: (status: number) => void): void {
    program
      .command('coordinator')
      .description('run a standing coordinator (gRPC API for agents and clients)')
      .option('--listen <addr:port>', 'gRPC address', '0.0.0.0:7700')
      .option('--dashboard <addr:port>', 'live dashboard and /metrics over HTTP (beyond 127.0.0.1 it needs the cluster token)')
      .option('--dashboard-host <name>', 'another Host name the dashboard answers to (a DNS name or proxy; repeatable)', collectHost, [])
      .option('--token-file <file>', 'cluster secret (default: $UNUM_TOKEN)')
      .option('--heartbeat-timeout <ms>', `an agent quiet this long is probed, and lost if still quiet half as long again (default ${DEFAULT_HEARTBEAT_TIMEOUT_MS}; e.g. 3s)`)
      .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('info'))
      .action(async (o: CoordinatorCliOptions) => {
        const heartbeatTimeoutMs = o.heartbeatTimeout === undefined ? undefined : parseHeartbeatTimeout(o.heartbeatTimeout);
        const token = readClusterToken({ tokenFile: o.tokenFile });
        const logger = pino({ level: o.logLevel, base: undefined }, pino.destination(2));
        const coord = await CoordinatorServer.start({ listen: checkAddress(o.listen, '--listen'), token, logger, heartbeatTimeoutMs });
        const dashboard = o.dashboard
          ? await coordinatorDashboard(coord, checkAddress(o.dashboard, '--dashboard'), token, logger, o.dashboardHost)
          : undefined;
        logger.info({ port: coord.port }, 'coordinator listening');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await dashboard?.close();
        await coord.close();
        done(0);
      });
  },
};
