/**
 * What a node agent is, parsed once: `unum agent` builds it from its flags,
 * and the embedded cluster of `unum run --nodes N` hands it to each agent
 * process it spawns over the IPC channel (typed, never argv to parse again).
 */
import type { NodeMemoryConfig } from '../eviction/node-memory.js';

export interface AgentSpec {
  /** The coordinator's HOST:PORT. */
  join: string;
  /** Where this agent serves health and DSM links (ADDR:PORT; port 0: any). */
  listen: string;
  /** Address other nodes reach this one at (default: from `listen`). */
  advertise?: string;
  name: string;
  /** Frame-pool bytes this node offers. */
  nodeMemBytes: number;
  cores: number;
  /** Swap behind the frames (none: a full node fails). */
  memory?: NodeMemoryConfig;
  /** One-way latency added to each DSM link (ns). */
  linkLatencyNs: number;
}

/** The IPC message an embedded agent waits for before it joins. */
export interface AgentSpecMessage {
  kind: 'agent-spec';
  spec: AgentSpec;
}

export const isAgentSpecMessage = (m: unknown): m is AgentSpecMessage =>
  typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'agent-spec';
