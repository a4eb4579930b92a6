/**
 * `unum demo linux`: the committed Linux guest (guest/linux/out: Linux 6.1
 * Image + busybox initramfs, docs/linux.md) booted on an embedded cluster of
 * agent processes, one vCPU per node, on the built-in SBI with the UART
 * console. The kernel sees one NUMA node per agent process; before the shell
 * starts, the guest prints the topology it found in /sys (each node's CPUs
 * and memory). Then a busybox shell on the console: stdin and stdout are the
 * terminal; `poweroff -f` (or leaving the shell) ends the VM. CPUs 1.. run
 * tickless when busy (nohz_full, @unum/lab's acrossNodesCmdline) so the
 * tick's pages stay on node 0; they stay in load balancing, since a shell's
 * programs are not pinned.
 */
import type { Command } from 'commander';
import { acrossNodesCmdline } from '@unum/lab';
import { parseIntIn } from '../parse.js';
import { REPO } from '../paths.js';
import { runAction } from './run.js';

const OUT = `${REPO}guest/linux/out`;

/**
 * The unum.run= script: the topology, then a login shell with job control
 * (as /init gives without unum.run=). It sits in the kernel's double quotes,
 * so it has none of its own.
 */
export const LINUX_DEMO_RUN = [
  'echo',
  'echo nodes: $(cat /sys/devices/system/node/online) online',
  "for d in /sys/devices/system/node/node*; do echo nodes: ${d##*/}: cpus $(cat $d/cpulist), $(($(sed -n 's/.*MemTotal: *\\([0-9]*\\).*/\\1/p' $d/meminfo) / 1024)) MB; done",
  'echo shell: busybox sh, poweroff -f to stop',
  'setsid cttyhack sh -l',
].join('; ');

interface DemoLinuxOptions {
  nodes: string;
  mem: string;
  protocol: string;
}

export function registerDemoLinux(demo: Command, done: (status: number) => void): void {
  demo
    .command('linux')
    .description('boot Linux on an embedded cluster (one vCPU per agent process, one NUMA node each) to a busybox shell on the console')
    .option('--nodes <n>', 'agent processes (one vCPU and NUMA node each)', '2')
    .option('--mem <size>', 'guest RAM, split between the nodes', '256M')
    .option('--protocol <name>', 'DSM variant', 'ivy-dynamic')
    .action(async (opts: DemoLinuxOptions) => {
      const nodes = parseIntIn(opts.nodes, '--nodes', 1, 16);
      process.stderr.write(
        `unum demo linux: Linux 6.1 + busybox on ${nodes} node(s), ${nodes} vCPU(s), ${opts.mem}, protocol ${opts.protocol}, built-in SBI, console ttyS0\n` +
        'unum demo linux: the boot takes a while on the interpreter (~10-40 s of CPU); then a shell: try `cat /proc/cpuinfo`, `matmul n=48`, `poweroff -f`\n' +
        `unum demo linux: the same files boot on qemu-system-riscv64 -M virt -bios default -smp ${nodes} -m ${opts.mem} ` +
        `-kernel ${OUT}/Image -initrd ${OUT}/initramfs.cpio.gz -nographic\n`,
      );
      done(await runAction(undefined, [], {
        kernel: `${OUT}/Image`, initrd: `${OUT}/initramfs.cpio.gz`, append: ['console=ttyS0', acrossNodesCmdline(nodes, false), `unum.run="${LINUX_DEMO_RUN}"`].filter(Boolean).join(' '),
        vcpus: String(nodes), mem: opts.mem, logLevel: 'warn',
        nodes: String(nodes), placement: 'rr', protocol: opts.protocol, unit: '4K', pagePlacement: 'node0',
      }));
    });
}
