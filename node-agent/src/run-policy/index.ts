/**
 * Run policies: free-running or lockstep (docs/determinism.md). Each has a
 * NodeAgent side (RunPolicy) and a vCPU worker side (HartPolicy); the
 * cluster's LockstepNode answers the coordinator's Steps.
 */
export { FreeRunning } from './free-running.js';
export { Lockstep, type LockstepConfig, type LockstepHost } from './lockstep.js';
export { LockstepNode, type DsmActivity } from './lockstep-node.js';
export { QuantumEnd } from './quantum-gate.js';
export { MAX_WAIT_MS, type Hart, type HartPolicy, type RunBoot, type RunPolicy } from './run-policy.js';
export { hartPolicy } from './hart-policy.js';
