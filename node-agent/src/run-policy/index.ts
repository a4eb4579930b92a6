/**
 * Run policies: free-running or lockstep (docs/determinism.md). Each has a
 * NodeAgent side (RunPolicy) and a vCPU worker side (HartPolicy); the
 * cluster's LockstepNode answers the coordinator's Steps.
 */
import { FreeRunningHart } from './free-running.js';
import { LockstepHart } from './lockstep-hart.js';
import type { HartPolicy, RunBoot } from './run-policy.js';

export { FreeRunning } from './free-running.js';
export { Lockstep, type LockstepConfig, type LockstepHost } from './lockstep.js';
export { LockstepNode, type DsmActivity } from './lockstep-node.js';
export { QuantumEnd } from './quantum-gate.js';
export { MAX_WAIT_MS, type Hart, type HartPolicy, type RunBoot, type RunPolicy } from './run-policy.js';

/** A worker's side of the policy its NodeAgent chose; `instret` reads the hart's retired count (lockstep's clock). */
export function hartPolicy(boot: RunBoot, hart: number, instret: () => bigint): HartPolicy {
  return boot.kind === 'lockstep' ? new LockstepHart(boot.gate, hart, instret) : new FreeRunningHart();
}
