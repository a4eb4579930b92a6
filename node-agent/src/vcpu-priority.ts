import { availableParallelism } from 'node:os';

/**
 * Harts run below the agent's main thread: a guest spinning on a lock must not starve the DSM that frees it,
 * nor (one node, more harts than host cores) the MMIO replies: every UART character waits for an LSR read.
 * The transport bench (`npm run bench -- transport`) measures the DSM's fault latency with the cores full at 0 and at this.
 */
export const VCPU_NICE = 10;

/** The vCPU workers' nice: none only for a node alone with a core to spare for its main thread (harts + 1 <= cores). */
export function vcpuNice(alone: boolean, harts: number, cores = availableParallelism()): number | undefined {
  return alone && harts < cores ? undefined : VCPU_NICE;
}
