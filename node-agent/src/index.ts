// @unum/node-agent public API: the node's EPT, its vCPU workers and its
// window onto devices it does not host.
export { NodeAgent, allocateLocally, type NodeAgentConfig, type BootState, type HartStatus, type PageFault,
  type PageFaultHandler, type PageAccess } from './node-agent.js';
export { Lockstep, LockstepNode, type LockstepConfig } from './run-policy/index.js';
export { FramePool, FrameExhausted, NotLocal, type FramePoolConfig, type Revoke } from './frame-pool.js';
export type { PteRights } from './page-entry.js';
export type { HartRunStateName } from './hart-mailbox.js';
export {
  builtinSbi, SbiDispatcher, type SbiExtension, type SbiContext, type SbiForwarder, type SbiHost, type SbiMode,
  type RemoteFence, type RemoteFenceKind, resetReason,
} from './sbi/index.js';
export { deviceSbiForwarder, type SbiLocalHarts, type SbiMmio } from './sbi/node-sbi.js';
export { EXIT_COUNTERS, type ExitCounter, type ExitCounts } from './exit-counters.js';
export { Clock } from './clock.js';
export { VCPU_NICE, vcpuNice } from './vcpu-priority.js';
export { MAX_NODE_FRAMES } from './node-layout.js';
export { runAgent, type AgentRunContext } from './cluster/agent-process.js';
export { AgentSession, type AgentSessionContext } from './cluster/agent-session.js';
export { isAgentSpecMessage, type AgentSpec, type AgentSpecMessage } from './cluster/agent-spec.js';
export { agentMessage, coordinatorMessage, type AgentKind, type CoordinatorKind } from './cluster/wire.js';
export { FramePoolPageStore } from './cluster/dsm-page-store.js';
export { readClusterToken, newClusterToken, withToken, authorized, refusal, ClusterSecretError } from './cluster/cluster-secret.js';
export { CHANNEL_OPTIONS } from './cluster/channel-options.js';
export { bootId, estimateOffset, type ClockEstimate, type PingSample } from './cluster/clock-sync.js';
export { NodeTelemetry, FAULT_LATENCY_BUCKETS_US, MAX_MAP_CELLS, type NodeSample, type TelemetryQuery, type TelemetryReply } from './cluster/node-telemetry.js';
export { SecondChance } from './eviction/second-chance.js';
export { reserveFrames, type NodeMemoryConfig } from './eviction/node-memory.js';
export type { EvictionStats } from './eviction/unit-evictor.js';
export { SwapFile, SwapFull, type SwapFileOptions, type SwapFileStats } from './swap/swap-file.js';
export { SwapDevice, SWAP_DEVICES, isSwapDevice, type SwapDeviceName } from './swap/swap-device.js';
export type { SwapStats } from './swap/unit-swap.js';
export { TapPort, TapError, checkIfname } from './net/tap-port.js';
