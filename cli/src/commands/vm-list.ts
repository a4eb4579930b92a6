/** `unum vm list --cluster HOST:PORT [--json]`: the VMs of a standing cluster, running and ended, with how each ended. */
import type { Command } from 'commander';
import { readClusterToken } from '@unum/node-agent';
import { wireJson } from '@unum/protos';
import { checkAddress } from '../address.js';
import { call, clusterClient } from '../cluster-client.js';
import type { CliCommand } from '../command.js';
import { vmGroup } from '../vm-group.js';
import { vmLine } from '../vm-line.js';

export const vmListCommand: CliCommand = {
  name: 'vm list',
  register(program: Command, done: (status: number) => void): void {
    vmGroup(program)
      .command('list')
      .description('the VMs of a standing cluster (id, state, outcome, exit status, reason)')
      .requiredOption('--cluster <host:port>', 'coordinator address')
      .option('--token-file <file>', 'cluster secret (default: $UNUM_TOKEN)')
      .option('--json', 'print them as JSON')
      .action(async (o: { cluster: string; tokenFile?: string; json?: boolean }) => {
        const api = clusterClient(checkAddress(o.cluster, '--cluster'), readClusterToken({ tokenFile: o.tokenFile }));
        try {
          const { vms } = await call(api.status, api, {}, 'status', 5000);
          if (o.json) process.stdout.write(`${wireJson(vms, 2)}\n`);
          else for (const v of vms) process.stdout.write(`${vmLine(v)}\n`);
          done(0);
        } finally {
          api.close();
        }
      });
  },
};
