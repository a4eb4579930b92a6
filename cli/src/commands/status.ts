/** `unum status --cluster HOST:PORT [--json]`: the members and VMs of a standing cluster. */
import type { Command } from 'commander';
import { readClusterToken } from '@unum/node-agent';
import { wireJson } from '@unum/protos';
import { call, clusterClient } from '../cluster-client.js';
import type { CliCommand } from '../command.js';
import { checkAddress } from '../address.js';
import { vmLine } from '../vm-line.js';

export const statusCommand: CliCommand = {
  name: 'status',
  register(program: Command, done: (status: number) => void): void {
    program
      .command('status')
      .description('members and VMs of a standing cluster')
      .requiredOption('--cluster <host:port>', 'coordinator address')
      .option('--token-file <file>', 'cluster secret (default: $UNUM_TOKEN)')
      .option('--json', 'print the raw status as JSON')
      .action(async (o: { cluster: string; tokenFile?: string; json?: boolean }) => {
        const api = clusterClient(checkAddress(o.cluster, '--cluster'), readClusterToken({ tokenFile: o.tokenFile }));
        try {
          const s = await call(api.status, api, {}, 'status', 5000);
          if (o.json) {
            process.stdout.write(`${wireJson(s, 2)}\n`);
          } else {
            process.stdout.write(`members: ${s.members.length}\n`);
            for (const m of s.members) {
              process.stdout.write(`  ${m.id} ${m.name} ${m.advertise} mem ${Number(m.memBytes) / 2 ** 20}M cores ${m.cores} ${m.state} ` +
                `(heartbeat ${Math.round(m.lastHeartbeatMsAgo)} ms ago)\n`);
            }
            process.stdout.write(`vms: ${s.vms.length}\n`);
            for (const v of s.vms) {
              process.stdout.write(`  ${vmLine(v)}\n`);
            }
          }
          done(0);
        } finally {
          api.close();
        }
      });
  },
};
