/**
 * The node-memory flags shared by `unum run` (embedded cluster) and `unum
 * agent`: swap behind the frame pool and the emulated link latency. The
 * embedded cluster passes them on to its agents in their AgentSpec.
 */
import { Option, type Command } from 'commander';
import { SWAP_DEVICES, isSwapDevice, type NodeMemoryConfig } from '@unum/node-agent';
import { parseSize } from './parse.js';
import { UsageError } from './usage-error.js';

export interface MemoryCliOptions {
  swapSize?: string;
  swapDir?: string;
  swapDevice?: string;
  linkLatency?: string;
}

export interface NodeMemoryFlags {
  memory?: NodeMemoryConfig;
  /** One-way latency added to every DSM link (ns). */
  linkLatencyNs: number;
}

export function addMemoryOptions(cmd: Command, swapDefault: string): Command {
  return cmd
    .option('--swap-size <size>', `swap file each node may use behind its --node-mem (0: none) (${swapDefault})`)
    .option('--swap-dir <dir>', 'directory for swap files (default: the OS temp dir)')
    .addOption(new Option('--swap-device <model>', 'latency model on top of the real swap I/O').choices([...SWAP_DEVICES]).default('real'))
    .option('--link-latency <time>', 'one-way latency added to each DSM link, e.g. 50us, 1ms (default 0)');
}

const TIME_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9 };

/** "50us", "1.5ms", "0" → ns. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?$/.exec(text.trim());
  if (!m) throw new UsageError(`bad ${what} '${text}': use a time like 50us, 2ms or 0`);
  const ns = Number(m[1]) * TIME_UNITS[m[2] ?? 'ns']!;
  if (m[2] === undefined && ns !== 0) throw new UsageError(`bad ${what} '${text}': give a unit (ns, us, ms, s)`);
  if (ns > 10e9) throw new UsageError(`bad ${what} '${text}': at most 10s`);
  return Math.round(ns);
}

/** Parse the flags; `swapBytes` when --swap-size is not given. */
export function memoryFlagsOf(o: MemoryCliOptions, defaultSwapBytes: number): NodeMemoryFlags {
  const swapBytes = o.swapSize === undefined ? defaultSwapBytes : o.swapSize === '0' ? 0 : parseSize(o.swapSize, '--swap-size');
  const device = o.swapDevice ?? 'real';
  if (!isSwapDevice(device)) throw new UsageError(`bad --swap-device '${device}' (have: ${SWAP_DEVICES.join(', ')})`);
  const linkLatencyNs = o.linkLatency === undefined ? 0 : parseDuration(o.linkLatency, '--link-latency');
  const memory = swapBytes > 0 ? { swapBytes, swapDir: o.swapDir, swapDevice: device } : undefined;
  return { memory, linkLatencyNs };
}
