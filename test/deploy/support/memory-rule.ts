/**
 * The agent memory rule shared by compose and Kubernetes: a container's memory
 * limit must hold the agent's --node-mem of guest frames plus AGENT_OVERHEAD
 * for node itself (V8 heaps of main thread and vCPU workers, the 32 MiB of
 * fixed shared-memory regions before the frames).
 */
export const AGENT_OVERHEAD = 256 * 2 ** 20;

/** How a size is written: unum's --node-mem and docker's mem_limit use binary K/M/G; Kubernetes has Mi (binary) and M (decimal). */
export type SizeDialect = 'unum' | 'docker' | 'k8s';

const BINARY: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const K8S: Record<string, number> = {
  '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12,
};

export function sizeBytes(text: string, dialect: SizeDialect): number {
  const m = dialect === 'k8s' ? /^(\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(text) : /^(\d+)([kmgt]?)(?:i?b)?$/i.exec(text);
  if (!m) throw new Error(`not a ${dialect} size: '${text}'`);
  const unit = dialect === 'k8s' ? K8S[m[2] ?? ''] : BINARY[(m[2] ?? '').toLowerCase()];
  return Number(m[1]) * unit!;
}

/** Why a container limit cannot hold an agent with `nodeMem`, or undefined when it can. */
export function memoryRuleProblem(nodeMem: string, limit: string, limitDialect: SizeDialect): string | undefined {
  const need = sizeBytes(nodeMem, 'unum') + AGENT_OVERHEAD;
  const have = sizeBytes(limit, limitDialect);
  if (have >= need) return undefined;
  return `memory limit ${limit} (${Math.floor(have / 2 ** 20)} MiB) < --node-mem ${nodeMem} + ` +
    `${AGENT_OVERHEAD / 2 ** 20} MiB overhead (${need / 2 ** 20} MiB)`;
}
