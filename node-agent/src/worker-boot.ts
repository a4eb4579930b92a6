import type { MmioWindow } from '@unum/machine';
import type { HartImage } from './hart-image.js';
/** How the worker's hart runs: freely, or in lockstep quanta on this shared gate (run-policy/). */
export type RunBoot = { kind: 'free' } | { kind: 'lockstep'; gate: SharedArrayBuffer };

/** What the NodeAgent hands each vCPU worker (structured-cloned once at start). */
export interface WorkerBoot {
  /** The node's shared wasm memory and the compiled engine core. */
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  buffer: SharedArrayBuffer;
  mailbox: SharedArrayBuffer;
  counters: SharedArrayBuffer;
  hartId: number;
  hartCount: number;
  /** Harts of this node now, a LocalHartSet's buffer (the worker serves their CLINT registers; others' are forwarded). */
  localHarts?: SharedArrayBuffer;
  /** Nice value for this worker thread (cluster agents: the main thread must win the CPU). */
  nice?: number;
  ramBytes: number;
  /** Device windows whose writes may be posted (see NodeAgentConfig.postedWrites). */
  postedWrites: MmioWindow[];
  originNs: bigint;
  pc: number;
  a0: bigint;
  a1: bigint;
  /** How the hart runs: free, or in lockstep quanta granted through the node's QuantumGate. */
  run: RunBoot;
  /** Built-in SBI (NodeAgentConfig.sbi = 'builtin'): the node's HSM table and SBI relay buffers. */
  sbi?: { hsm: SharedArrayBuffer; relay: SharedArrayBuffer };
  /** Boot in S-mode at `pc` (a kernel on the built-in SBI) instead of M-mode. */
  supervisor?: boolean;
  /** The hart migrated here: run from this state instead of booting at `pc`. */
  image?: HartImage;
  /** Module exporting `openEngine(boot)`; the real engine unless a test swaps it. */
  engineModule: string;
}
