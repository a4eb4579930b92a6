/**
 * VmTelemetry: what the dashboard and /metrics need from a running VM, and
 * nothing else: a snapshot (nodes, vCPUs, page map), the console, lifecycle
 * control. ClusterTelemetry implements it over a ClusterVm's agents; a test
 * or another VM kind can implement it too.
 */
import type { NodeSample } from '@unum/node-agent';

export type VmControl = 'pause' | 'resume' | 'stop';

export interface VmInfo {
  id: string;
  state: string;
  protocol: string;
  unitBytes: number;
  memBytes: number;
  units: number;
  vcpus: number;
  nodeNames: string[];
  /** hartNode[h] = node running hart h. */
  hartNode: number[];
}

export interface NodeView {
  node: number;
  name: string;
  /** Joined and heartbeating. */
  alive: boolean;
  heartbeatMsAgo: number;
  /** Undefined when the node did not answer in time. */
  sample?: NodeSample;
  /** Per map cell: units this node owns / faults it took there (cumulative). */
  owned?: Uint32Array;
  faults?: Uint32Array;
}

export interface VmSnapshot {
  /** performance.now() when the answers were in. */
  t: number;
  info: VmInfo;
  cells: number;
  unitsPerCell: number;
  nodes: NodeView[];
}

export interface ConsoleTap {
  /** Replays recent output, then streams it; returns the unsubscribe function. */
  watch(w: (bytes: Uint8Array) => void): () => void;
  input(bytes: Uint8Array): void;
}

export interface VmTelemetry {
  info(): VmInfo;
  /** Ask every node; `inspect` ≥ 0 also describes that cell's units. */
  snapshot(cells: number, inspect?: number): Promise<VmSnapshot>;
  console: ConsoleTap | undefined;
  control(op: VmControl): Promise<void>;
  /** Resolves when the VM has ended. */
  readonly ended: Promise<unknown>;
}
