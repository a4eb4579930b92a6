import type { Lane } from './link-lanes.js';
import type { DsmMessage } from './messages.js';

/**
 * How DSM nodes exchange messages. Delivery must be reliable and FIFO per
 * ordered pair of nodes (one gRPC stream per pair gives that); the protocol's
 * race arguments rely on it. Messages a node sends to itself never reach the
 * transport.
 */
export interface Transport {
  readonly self: number;
  /** `lane` (default 'fault'): a transport may send fault frames ahead of bulk ones, keeping per-unit order. */
  send(to: number, msg: DsmMessage, lane?: Lane): void;
  /** One handler; `from` is the authenticated sender. */
  onMessage(handler: (from: number, msg: DsmMessage) => void): void;
  /** Messages refused by the transport (unauthenticated, malformed). */
  rejected(): number;
  close(): Promise<void>;
}
