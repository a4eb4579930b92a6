export { DsmNode } from './dsm-node.js';
export type { UnitState } from './node-base.js';
export { DsmError } from './errors.js';
export { allows, type Access, type PageStore, type Rights } from './page-store.js';
export { MemoryPageStore } from './memory-page-store.js';
export type { Transport } from './transport.js';
export { LinkLanes, type Lane } from './link-lanes.js';
export { numaNodeOf, numaShareUnits } from './numa-share.js';
export { MemoryNetwork, immediateDelivery, type DeliveryScheduler } from './memory-transport.js';
export { payloadBytes, type DsmMessage, type MessageType } from './messages.js';
export { nextTurn, placements, type DsmNodeOptions, type FaultTrace, type NodeTimers, type Placement, type PushCapacity } from './options.js';
export {
  checkProtocolSpec, createProtocol, knobSpecs, parseProtocol, protocolKnobs, protocolName, protocolNames, protocolSpec, registerModifier,
  registerProtocol, type DsmCore, type HandOver, type KnobSpec, type ParsedProtocol, type ProtocolContext, type ProtocolFactory, type ProtocolKnobs,
  type ProtocolModifier, type ProtocolSpec, type ProtocolVariant, loadVariantModules,
} from './protocols/index.js';
export type { DsmProfile, DsmStats, PageStat, UnitView } from './stats.js';
export { bucketPercentile, mergeLatency, type LatencyBuckets, type LatencySummary } from './latency-histogram.js';
export { GrpcTransport, type GrpcTransportOptions } from './grpc/grpc-transport.js';
export { makeHello, PROTOCOL_VERSION, type Hello } from './grpc/auth.js';
export { DEFAULT_DOOR, GUARDED_SERVER_OPTIONS, ListenError, listenGuarded, type DoorPolicy, type GuardedListener } from './grpc/guarded-listen.js';
export { AgentCluster } from './agent/agent-cluster.js';
export { echoRounds } from './agent/echo.js';
export { preciseDelay, preciseUntil, hrtimeNs } from './precise-delay.js';
export { DelayedTransport } from './link-delay.js';
export { VirtualTimers } from './virtual-timers.js';
export { seededRandom } from './testing/seeded-scheduler.js';
