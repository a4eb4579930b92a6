/** One VM of a standing cluster as `unum status` and `unum vm list` print it: state, shape and, once ended, how. */
import type { VmInfo } from '@unum/protos/cluster';

export function vmLine(v: VmInfo): string {
  const shape = `vcpus ${v.vcpus} mem ${Number(v.memBytes) / 2 ** 20}M harts on ${v.hartNode.join(',')} (${v.nodeNames.join(', ')})`;
  const how = v.outcome ? ` ${v.outcome}, exit ${v.exitCode}${v.reason ? `: ${v.reason}` : ''}` : '';
  return `${v.vmId} ${v.state}${how} ${shape}`;
}
