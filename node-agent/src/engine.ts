/**
 * The seam between the agent and the vCPU engine (@unum/vcpu): node memory
 * creation, the compiled core, and opening one hart on it in a worker.
 * A test can point a NodeAgent at another module with the same
 * `openEngine` export (see test/machine/fixtures).
 */
import { Vcpu, createNodeMemory as createEngineMemory, loadCoreModule, type VcpuExit } from '@unum/vcpu';
import { Clock } from './clock.js';
import type { WorkerBoot } from './worker-boot.js';

export interface EngineHart {
  /** Run up to `budget` instructions (default: the engine's own slice). */
  run(budget?: number): VcpuExit;
  /** Instructions retired so far. */
  readonly instret: bigint;
  completeMmio(value: bigint): void;
  /** The last MMIO exit hit no device: the guest takes an access fault. */
  failMmio(): void;
  completeSbi(error: bigint, value: bigint): void;
  /** The built-in SBI also needs these (a Vcpu has them; scripted test engines may not). */
  reset?(pc: bigint, a0: bigint, a1: bigint): void;
  csr?(num: number): bigint;
  setCsr?(num: number, value: bigint): void;
}

/** `mtime`: the guest clock to use instead of the node's wall Clock (lockstep mode). */
export type OpenEngine = (boot: WorkerBoot, mtime?: () => bigint) => Promise<EngineHart>;

export interface NodeMemory {
  memory: WebAssembly.Memory;
  buffer: SharedArrayBuffer;
  /** Compiled core, shared with the workers (compiled once per node). */
  module: WebAssembly.Module;
}

/** `sbi`: S-mode ecalls exit to the host (the built-in SBI) instead of trapping. */
export async function createNodeMemory(opts: { harts: number; ramBytes: number; frames: number; sbi?: boolean }): Promise<NodeMemory> {
  const memory = createEngineMemory(opts);
  return { memory, buffer: memory.buffer as unknown as SharedArrayBuffer, module: await loadCoreModule() };
}

/** Worker side: the hart, reset to its boot state, reading time from the node clock. */
export const openEngine: OpenEngine = async (boot, mtime) => {
  const clock = new Clock(boot.originNs);
  const vcpu = new Vcpu(boot.module, boot.memory, boot.hartId, { mtime: mtime ?? (() => clock.mtimeBig()) });
  vcpu.reset(BigInt(boot.pc), boot.a0, boot.a1);
  return vcpu;
};
