/**
 * The vCPU worker's side of the run policy. Its own file so that a worker
 * imports only what a hart runs (free-running, lockstep hart): the NodeAgent
 * side (LockstepNode) pulls in the DSM, gRPC and pino, which every one of up
 * to 64 workers would otherwise load for nothing.
 */
import { FreeRunningHart } from './free-running.js';
import { LockstepHart } from './lockstep-hart.js';
import type { HartPolicy, RunBoot } from './run-policy.js';

/** A worker's side of the policy its NodeAgent chose; `instret` reads the hart's retired count (lockstep's clock). */
export function hartPolicy(boot: RunBoot, hart: number, instret: () => bigint): HartPolicy {
  return boot.kind === 'lockstep' ? new LockstepHart(boot.gate, hart, instret) : new FreeRunningHart();
}
