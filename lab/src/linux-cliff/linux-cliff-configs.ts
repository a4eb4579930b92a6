/**
 * The memory cliff with Linux as the guest (issue 16, item 3): a Linux
 * userland memscan whose working set outgrows one node, in three
 * configurations, each an `unum run --kernel` child:
 *   (a) one node with memory to spare: guest RAM = N x --node-mem, no cap;
 *   (b) one node whose guest RAM is --node-mem, and Linux's own swap on a
 *       virtio-blk disk (a raw file the experiment creates; the guest's
 *       unum-swapon writes the swap header and calls swapon(2));
 *   (c) N nodes each capped at --node-mem, guest RAM = N x --node-mem,
 *       aggregated by the DSM (pages owned by their first toucher).
 * The same vCPUs in all three (default N, one per node in (c)).
 *
 * @example
 *   const argv = linuxCliffArgv(o, linuxCliffConfigs(o)[1]!, { initrd, swapFile, stats });
 */
export interface LinuxCliffOptions {
  /** memscan working-set sizes in bytes. */
  sizes: number[];
  nodeMem: number;
  /** Nodes in (c). */
  nodes: number;
  vcpus: number;
  iters: number;
  repeat: number;
  out: string;
  unumBin: string;
  repo: string;
  kernel: string;
  /** The committed initramfs; the experiment appends unum-swapon to it. */
  initramfs: string;
  timeoutMs: number;
}

export type LinuxCliffKind = 'baseline' | 'linux-swap' | 'dsm';
export interface LinuxCliffConfig { config: string; kind: LinuxCliffKind; nodes: number; size: number; rep: number }
export interface RunFiles { initrd: string; swapFile: string; stats: string }

const MiB = 2 ** 20;
export const LINUX_CLIFF_KINDS: readonly LinuxCliffKind[] = ['baseline', 'linux-swap', 'dsm'];

export function linuxCliffName(o: LinuxCliffOptions, kind: LinuxCliffKind): string {
  const v = `${o.vcpus} vCPU${o.vcpus > 1 ? 's' : ''}`;
  const nm = o.nodeMem / MiB;
  if (kind === 'baseline') return `(a) 1 node, ${nm * o.nodes} MiB RAM, ${v}`;
  if (kind === 'linux-swap') return `(b) 1 node, ${nm} MiB RAM + Linux swap on virtio-blk, ${v}`;
  return `(c) ${o.nodes} nodes x ${nm} MiB, DSM, ${v}`;
}

export function linuxCliffConfigs(o: LinuxCliffOptions): LinuxCliffConfig[] {
  const out: LinuxCliffConfig[] = [];
  for (let rep = 0; rep < o.repeat; rep++)
    for (const size of o.sizes)
      for (const kind of LINUX_CLIFF_KINDS) out.push({ config: linuxCliffName(o, kind), kind, nodes: kind === 'dsm' ? o.nodes : 1, size, rep });
  return out;
}

/** Swap disk for (b): room for the whole working set. */
export const swapBytes = (size: number): number => Math.ceil((2 * size) / MiB) * MiB;

/** The `unum run` flags of a configuration (no files, no size). */
export function linuxCliffFlags(o: LinuxCliffOptions, kind: LinuxCliffKind): string[] {
  const aggregate = `${(o.nodes * o.nodeMem) / MiB}M`;
  if (kind === 'baseline') return ['--nodes', '1', '--vcpus', String(o.vcpus), '--mem', aggregate];
  if (kind === 'linux-swap') return ['--nodes', '1', '--vcpus', String(o.vcpus), '--mem', `${o.nodeMem / MiB}M`];
  return ['--nodes', String(o.nodes), '--vcpus', String(o.vcpus), '--mem', aggregate, '--node-mem', `${o.nodeMem / MiB}M`,
    '--swap-device', 'real', '--placement', 'rr', '--page-placement', 'first-touch', '--protocol', 'ivy-dynamic', '--unit', '4K'];
}

/**
 * The guest's command: swap on first for (b); after the run, the swap in use
 * (/proc/meminfo: the kernel has no VM_EVENT_COUNTERS, so no pswpin/pswpout).
 */
export function guestCommand(o: LinuxCliffOptions, kind: LinuxCliffKind, size: number): string {
  const run = `memscan size=${size / MiB}M iters=${o.iters} scope=local && grep -E '^Swap(Total|Free):' /proc/meminfo`;
  return kind === 'linux-swap' ? `unum-swapon /dev/vda && ${run}` : run;
}

export function linuxCliffArgv(o: LinuxCliffOptions, c: LinuxCliffConfig, f: RunFiles): string[] {
  const disk = c.kind === 'linux-swap' ? ['--drive', `file=${f.swapFile},format=raw`] : [];
  return [process.execPath, o.unumBin, 'run', '--kernel', o.kernel, '--initrd', f.initrd, ...linuxCliffFlags(o, c.kind), ...disk,
    '--stats', f.stats, '--swap-dir', f.swapFile.replace(/\/[^/]*$/, ''),
    '--append', `console=hvc0 unum.run="${guestCommand(o, c.kind, c.size)}"`];
}

/** What results.json and summary.md show: each configuration and its command. */
export function describeLinuxCliff(o: LinuxCliffOptions): { config: string; kind: LinuxCliffKind; command: string }[] {
  return LINUX_CLIFF_KINDS.map((kind) => ({
    config: linuxCliffName(o, kind), kind,
    command: `unum run --kernel Image --initrd initramfs+unum-swapon ${linuxCliffFlags(o, kind).join(' ')}${kind === 'linux-swap' ? ' --drive file=swap.raw' : ''}`
      + ` --append 'console=hvc0 unum.run="${guestCommand(o, kind, 0).replace('size=0M', 'size=<working set>')}"'`,
  }));
}
