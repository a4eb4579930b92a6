/** `unum health HOST:PORT`: exit 0 when the coordinator or agent there answers (healthchecks). */
import type { Command } from 'commander';
import { readClusterToken } from '@unum/node-agent';
import { call, healthClient } from '../cluster-client.js';
import type { CliCommand } from '../command.js';
import { checkAddress } from '../address.js';

export const healthCommand: CliCommand = {
  name: 'health',
  register(program: Command, done: (status: number) => void): void {
    program
      .command('health')
      .description('exit 0 if the unum coordinator or agent at HOST:PORT answers')
      .argument('<host:port>')
      .option('--token-file <file>', 'cluster secret (default: $UNUM_TOKEN)')
      .option('--timeout <ms>', 'give up after this long', '3000')
      .action(async (address: string, o: { tokenFile?: string; timeout: string }) => {
        const api = healthClient(checkAddress(address, 'address'), readClusterToken({ tokenFile: o.tokenFile }));
        try {
          const r = await call(api.check, api, {}, 'check', Number(o.timeout) || 3000);
          process.stdout.write(`ok ${r.role} ${r.name}\n`);
          done(0);
        } catch (e) {
          process.stderr.write(`unum: ${address}: ${e instanceof Error ? e.message : String(e)}\n`);
          done(1);
        } finally {
          api.close();
        }
      });
  },
};
