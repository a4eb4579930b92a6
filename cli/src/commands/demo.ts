/**
 * `unum demo`: the two-minute tour. Boots the committed jacobi workload (a
 * 2D stencil whose neighbouring rows are shared between harts) on an
 * embedded cluster of agent processes, one vCPU per node, so every halo row
 * crosses the DSM. Guest output goes to stdout; the per-node fault and
 * traffic summary to stderr, exactly as `unum run --nodes` prints it.
 * `unum demo linux` (demo-linux.ts) boots Linux across nodes to a shell.
 */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { parseIntIn } from '../parse.js';
import { REPO } from '../paths.js';
import { runAction } from './run.js';
import { registerDemoLinux } from './demo-linux.js';

const GUEST = `${REPO}guest/bin/jacobi.elf`;

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
          `unum demo: the same ELF runs on qemu-system-riscv64 -M virt -bios none -smp ${nodes} -kernel ${GUEST}\n`,
        );
        done(await runAction(GUEST, ['n=256', 'iters=20'], {
          vcpus: String(nodes), mem: '128M', logLevel: 'warn',
          nodes: String(nodes), placement: 'rr', protocol: opts.protocol, unit: '4K', pagePlacement: 'node0',
          dashboard: opts.dashboard,
        }));
      });
    registerDemoLinux(demo, done);
  },
};
