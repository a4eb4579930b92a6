/**
 * A Linux boot spread over nodes with the kernel's default tick moves the
 * jiffies and timekeeper pages between nodes every tick (docs/linux-dsm.md):
 * 2 vCPUs on 2 nodes boot 3× slower than with nohz_full (7× than with
 * isolcpus=domain too). The guest's command
 * line is the user's, so unum does not change it; it says so once.
 */
import { acrossNodesCmdline } from '@unum/lab';
import type { RunTarget } from './cluster-options.js';

/** The hint line for a `--kernel` boot of several vCPUs on several nodes without nohz_full=; undefined otherwise. */
export function acrossNodesHint(kernel: boolean, cmdline: string, vcpus: number, target: RunTarget): string | undefined {
  const spread = target.kind === 'cluster' || (target.kind === 'embedded' && target.nodes > 1);
  if (!kernel || !spread || vcpus < 2 || /(^|\s)nohz_full=/.test(cmdline)) return undefined;
  return `unum: hint: Linux across nodes runs faster with ${acrossNodesCmdline(vcpus, false)} in --append ` +
    `(and isolcpus=domain,1-${vcpus - 1} when its threads are pinned): the tick's pages stay on node 0 (docs/linux.md)`;
}
