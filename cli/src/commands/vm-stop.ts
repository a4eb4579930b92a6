/** `unum vm stop ID --cluster HOST:PORT`: stop a VM of a standing cluster (e.g. one started with `unum run --detach`). */
import type { Command } from 'commander';
import { readClusterToken } from '@unum/node-agent';
import { checkAddress } from '../address.js';
import { call, clusterClient } from '../cluster-client.js';
import type { CliCommand } from '../command.js';
import { vmGroup } from '../vm-group.js';
import { vmLine } from '../vm-line.js';

export const vmStopCommand: CliCommand = {
  name: 'vm stop',
  register(program: Command, done: (status: number) => void): void {
    vmGroup(program)
      .command('stop')
      .description('stop a VM of a standing cluster; prints how it ended')
      .argument('<id>', 'VM id (unum vm list)')
      .requiredOption('--cluster <host:port>', 'coordinator address')
      .option('--token-file <file>', 'cluster secret (default: $UNUM_TOKEN)')
      .action(async (id: string, o: { cluster: string; tokenFile?: string }) => {
        const api = clusterClient(checkAddress(o.cluster, '--cluster'), readClusterToken({ tokenFile: o.tokenFile }));
        try {
          const v = await call(api.stopVm, api, { vmId: id }, 'stopVm', 30_000);
          process.stdout.write(`${vmLine(v)}\n`);
          done(0);
        } finally {
          api.close();
        }
      });
  },
};
