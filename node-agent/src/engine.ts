/**
 * The seam between the agent and the vCPU engine (@unum/vcpu): node memory
 * creation and opening one hart on it. Everything engine-specific the agent
 * needs passes through here.
 */
import type { VcpuExit } from '@unum/vcpu';
import { FRAMES, PAGE_SIZE } from './node-layout.js';
import type { WorkerBoot } from './worker-boot.js';

export interface EngineHart {
  run(): VcpuExit;
  completeMmio(value: bigint): void;
  completeSbi(error: bigint, value: bigint): void;
}

export type OpenEngine = (boot: WorkerBoot) => Promise<EngineHart>;

export interface NodeMemory {
  memory: unknown;
  buffer: SharedArrayBuffer;
}

interface WasmMemoryCtor {
  new (d: { initial: number; maximum: number; shared: boolean }): { buffer: SharedArrayBuffer };
}
const WASM_PAGE = 65536;

export function createNodeMemory(opts: { harts: number; ramBytes: number; frames: number }): NodeMemory {
  const bytes = FRAMES + opts.frames * PAGE_SIZE;
  const pages = Math.ceil(bytes / WASM_PAGE);
  const Memory = (globalThis as unknown as { WebAssembly: { Memory: WasmMemoryCtor } }).WebAssembly.Memory;
  const memory = new Memory({ initial: pages, maximum: pages, shared: true });
  return { memory, buffer: memory.buffer };
}

export async function openEngine(boot: WorkerBoot): Promise<EngineHart> {
  const vcpu = (await import('@unum/vcpu')) as Record<string, unknown>;
  if (typeof vcpu.Vcpu !== 'function') throw new Error('@unum/vcpu has no Vcpu engine yet');
  throw new Error(`engine adapter not written for hart ${boot.hartId}`);
}
