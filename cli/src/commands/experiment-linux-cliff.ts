/**
 * `unum experiment linux-cliff --sizes 96M --node-mem 64M [--nodes 2]
 * [--vcpus V] [--iters 1] [--repeat N] --out DIR`: the memory cliff with
 * Linux as the guest (docs/memory-cliff.md, "Linux as the guest").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { experimentGroup } from '../experiment-group.js';
import { parseIntIn, parseSize } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { REPO, UNUM_BIN } from '../paths.js';
import { runLinuxCliff } from '@unum/lab';
import { endExperiment } from '../experiment-outcome.js';

interface LinuxCliffCli { sizes: string; nodeMem: string; nodes: string; vcpus?: string; iters: string; repeat: string; kernel: string; initrd: string; out: string; timeout: string }

export const experimentLinuxCliffCommand: CliCommand = {
  name: 'experiment linux-cliff',
  register(program: Command, done: (status: number) => void): void {
    experimentGroup(program)
      .command('linux-cliff')
      .description('Linux memscan past one node: 1 node with room, 1 capped node with Linux swap on virtio-blk, N capped nodes with the DSM')
      .requiredOption('--sizes <list>', 'memscan working sets, e.g. 96M (2x --node-mem minus what Linux itself holds)')
      .requiredOption('--node-mem <size>', 'memory of each capped node = the guest RAM of (b)')
      .option('--nodes <n>', 'nodes in (c); (a) and (c) get N x --node-mem of guest RAM', '2')
      .option('--vcpus <n>', 'vCPUs in every configuration (default: --nodes)')
      .option('--iters <n>', 'memscan passes', '1')
      .option('--repeat <n>', 'runs per point (median)', '1')
      .option('--kernel <file>', 'Linux Image', join(REPO, 'guest/linux/out/Image'))
      .option('--initrd <file>', 'initramfs (unum-swapon is appended to it)', join(REPO, 'guest/linux/out/initramfs.cpio.gz'))
      .option('--timeout <s>', 'per-run timeout in seconds', '1800')
      .requiredOption('--out <dir>', 'output directory')
      .action(async (o: LinuxCliffCli) => {
        const sizes = o.sizes.split(',').map((s) => parseSize(s, '--sizes'));
        const nodeMem = parseSize(o.nodeMem, '--node-mem');
        if (nodeMem % 2 ** 20 || sizes.some((s) => s % 2 ** 20)) throw new UsageError('--sizes and --node-mem: whole MiB');
        for (const f of [o.kernel, o.initrd]) if (!existsSync(f)) throw new UsageError(`${f}: no such file (guest/linux/README.md builds it)`);
        const nodes = parseIntIn(o.nodes, '--nodes', 2, 16);
        await endExperiment('linux-cliff', o.out, runLinuxCliff({
          sizes, nodeMem, nodes, vcpus: o.vcpus === undefined ? nodes : parseIntIn(o.vcpus, '--vcpus', 1, 64),
          iters: parseIntIn(o.iters, '--iters', 1, 1000), repeat: parseIntIn(o.repeat, '--repeat', 1, 100), out: o.out,
          unumBin: UNUM_BIN, repo: REPO, kernel: o.kernel, initramfs: o.initrd, timeoutMs: parseIntIn(o.timeout, '--timeout', 1, 86400) * 1000,
        }), done);
      });
  },
};
