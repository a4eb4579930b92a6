/** `unum vm migrate ID --hart H --node N --cluster HOST:PORT`: move one hart of a running VM to another of its nodes (live vCPU migration). */
import type { Command } from 'commander';
import { MAX_NODES, MAX_VCPUS } from '@unum/coordinator';
import { readClusterToken } from '@unum/node-agent';
import { checkAddress } from '../address.js';
import { call, clusterClient } from '../cluster-client.js';
import type { CliCommand } from '../command.js';
import { parseIntIn } from '../parse.js';
import { vmGroup } from '../vm-group.js';
import { vmLine } from '../vm-line.js';

export const vmMigrateCommand: CliCommand = {
  name: 'vm migrate',
  register(program: Command, done: (status: number) => void): void {
    vmGroup(program)
      .command('migrate')
      .description('move one hart of a running VM to another of its nodes (it stops at an exit boundary and resumes there); prints the VM with its new hart map')
      .argument('<id>', 'VM id (unum vm list)')
      .requiredOption('--hart <n>', 'the hart (vCPU) to move')
      .requiredOption('--node <n>', 'the VM\'s node to run it on (0-based, as in the hart map)')
      .requiredOption('--cluster <host:port>', 'coordinator address')
      .option('--token-file <file>', 'cluster secret (default: $UNUM_TOKEN)')
      .action(async (id: string, o: { hart: string; node: string; cluster: string; tokenFile?: string }) => {
        const hart = parseIntIn(o.hart, '--hart', 0, MAX_VCPUS - 1);
        const node = parseIntIn(o.node, '--node', 0, MAX_NODES - 1);
        const api = clusterClient(checkAddress(o.cluster, '--cluster'), readClusterToken({ tokenFile: o.tokenFile }));
        try {
          const v = await call(api.migrateVcpu, api, { vmId: id, hart, node }, 'migrateVcpu', 30_000);
          process.stdout.write(`${vmLine(v)}\n`);
          done(0);
        } finally {
          api.close();
        }
      });
  },
};
