/**
 * How a node's harts run: free-running (each hart runs as fast as its
 * thread does, page faults go to the DSM at once) or in lockstep (the
 * coordinator grants quanta; page faults wait in the QuantumGate until it
 * says which to resolve; docs/determinism.md). The NodeAgent and the vCPU
 * worker each ask their side of the policy, and only where the two differ.
 *
 * @example
 *   // main thread (NodeAgent)
 *   const policy = cfg.lockstep ? new Lockstep(host, cfg.lockstep) : new FreeRunning();
 *   const boot: WorkerBoot = { ..., run: policy.boot };
 *   // worker thread (vcpu-worker.ts)
 *   const policy = hartPolicy(boot.run, hartId, () => engine.instret);
 *   if (policy.turn(hart) === QuantumEnd.Halted) break;
 */
import type { VcpuExit } from '@unum/vcpu';
import type { EngineHart } from '../engine.js';
import type { ExitCounter } from '../exit-counters.js';
import type { HartRunState } from '../hart-mailbox.js';
import type { HartSbi } from '../sbi/worker-sbi.js';
import type { QuantumEnd } from './quantum-gate.js';
import type { RunBoot } from '../worker-boot.js';
export type { RunBoot } from '../worker-boot.js';

/** Longest wait (for a grant, a hart_start, an interrupt) without re-checking control: a backstop, a stop always notifies. */
export const MAX_WAIT_MS = 100;

/** What a vCPU worker needs to take its side of the policy (structured-cloned in WorkerBoot). */

/** The NodeAgent's side. */
export interface RunPolicy {
  readonly boot: RunBoot;
  /** The agent pauses (true) or resumes (false) its harts. */
  setPaused(paused: boolean): void;
  /** A hart waiting for its turn wakes to see a control change (pause, stop). */
  wake(hart: number): void;
}

/** What a HartPolicy may use of the worker's loop. */
export interface Hart {
  readonly id: number;
  readonly engine: EngineHart;
  /** The built-in SBI (undefined: S-mode ecalls trap to guest firmware). */
  readonly sbi: HartSbi | undefined;
  /** The one exit switch: undefined to go on, or how this turn ends. */
  exit(exit: VcpuExit): QuantumEnd | undefined;
  publish(state: HartRunState): void;
  count(what: ExitCounter): void;
  /** Control says run (not pause or stop). */
  running(): boolean;
  /** Ask the main thread to resolve a page the node does not hold, and wait. */
  forwardFault(gpa: number, access: 'read' | 'write' | 'fetch'): void;
  /** Sleep until an interrupt pin changes, the timer deadline passes, or control changes. */
  sleep(): void;
}

/** The vCPU worker's side, asked between the loop's control checks and in its exit switch. */
export interface HartPolicy {
  /**
   * The guest clock, when it is not the node's wall Clock (lockstep: guest
   * progress). The engine's mtime source and the CLINT's mtime.
   */
  readonly clock: { mtimeBig(): bigint } | undefined;
  /** Device writes may be posted (queued, the hart goes on). */
  readonly posts: boolean;
  /** WFI-style waits (SBI suspend) may sleep on the host. */
  readonly sleeps: boolean;
  /** One turn of the hart: run it (free-running: to its next exit; lockstep: one quantum, if granted). */
  turn(hart: Hart): QuantumEnd | undefined;
  /** A page the node does not hold (the hart could not just retry). */
  fault(hart: Hart, gpa: number, access: 'read' | 'write' | 'fetch'): QuantumEnd | undefined;
  /** WFI with nothing pending. */
  wfi(hart: Hart): QuantumEnd | undefined;
  /** The engine yielded: its budget ran out, or the host kicked it. */
  yielded(hart: Hart): QuantumEnd | undefined;
  /** The hart leaves for good (halted or stopped). */
  leave(hart: Hart): void;
}
