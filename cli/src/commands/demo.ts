/**
 * `unum demo`: the two-minute tour. Boots the committed jacobi workload (a
 * 2D stencil whose neighbouring rows are shared between harts) on an
 * embedded cluster of agent processes, one vCPU per node, so every halo row
 * crosses the DSM. Guest output goes to stdout; the per-node fault and
 * traffic summary to stderr, exactly as `unum run --nodes` prints it, then
 * what its `pages` and instret mean, beside the QEMU command for the same
 * checksum (demo-notes.ts).
 * `unum demo linux` (demo-linux.ts) boots Linux across nodes to a shell.
 */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { parseIntIn } from '../parse.js';
import { REPO } from '../paths.js';
import { runAction } from './run.js';
import { registerDemoLinux } from './demo-linux.js';
import { qemuCommand, summaryLegend } from '../demo-notes.js';

const GUEST = `${REPO}guest/bin/jacobi.elf`;
const BOOTARGS = ['n=256', 'iters=20'];
const MEM = '128M';

interface DemoOptions {
  nodes: string;
  protocol: string;
  dashboard?: string | boolean;
}

export const demoCommand: CliCommand = {
  name: 'demo',
  register(program: Command, done: (status: number) => void): void {
    const demo = program
      .command('demo')
      // `demo linux --nodes 3`: the options after a subcommand are its own
      .enablePositionalOptions()
      .description('run a stencil workload across an embedded cluster of agent processes and print the DSM summary')
      .option('--nodes <n>', 'agent processes (one vCPU each)', '2')
      .option('--protocol <name>', 'DSM variant', 'ivy-dynamic')
      .option('--dashboard [addr:port]', 'also serve the live dashboard (URL on stderr)')
      .action(async (opts: DemoOptions) => {
        const nodes = parseIntIn(opts.nodes, '--nodes', 1, 16);
        process.stderr.write(
          `unum demo: jacobi 256x256 on ${nodes} node(s), ${nodes} vCPU(s), protocol ${opts.protocol}\n` +
          `unum demo: the same ELF and arguments on QEMU (the same checksum): ${qemuCommand(GUEST, nodes, MEM, BOOTARGS)}\n`,
        );
        const status = await runAction(GUEST, BOOTARGS, {
          vcpus: String(nodes), mem: MEM, logLevel: 'warn',
          nodes: String(nodes), placement: 'rr', protocol: opts.protocol, unit: '4K', pagePlacement: 'node0',
          dashboard: opts.dashboard,
        });
        process.stderr.write(summaryLegend('node0').join('\n') + '\n');
        done(status);
      });
    registerDemoLinux(demo, done);
  },
};
