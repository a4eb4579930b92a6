// @unum/coordinator public API: the typed VM spec, the one VM builder and its nodes,
// the cluster and the dashboard (the CLI is @unum/cli).
export { MachineError, type MachineErrorCode } from './machine-error.js';
export { ElfError, type ConsolePort } from '@unum/machine';
// What a VM is (parsed once) and what it boots.
export {
  DEFAULT_PROTOCOL, DEFAULT_QUANTUM, MAX_NODES, MAX_VCPUS, QUANTUM_MAX, QUANTUM_MIN, canonicalProtocol, hartPlacementOf, hartPlacementText, vmSpecOf, vcpuMigrationWire, vcpuMigrationText, VCPU_MIGRATION_POLICIES, type VcpuMigrationPolicy,
  type HartPlacement, type RunPolicy, type VmSpec, type VmSpecInput,
} from './spec/vm-spec.js';
export { bootLayoutOf, bootStartOf, type BootSpec, type BootStart } from './spec/boot-spec.js';
export { netdevsOf, probeTaps } from './spec/netdev-spec.js';
export { bootRequestOf, bootSpecOfRequest } from './spec/boot-wire.js';
// The one VM builder and the nodes it runs on.
export { Vm, type VmConfig, type VmResult, type VmState } from './vm/vm.js';
export { exitCodeOf, type VmOutcome } from './vm/outcome.js';
export { summaryTable } from './vm/node-report.js';
export { NodeLink, type NodeOffer } from './nodes/node-link.js';
export { DEFAULT_HEARTBEAT_TIMEOUT_MS } from './nodes/remote-node.js';
export { LocalNode, type LocalNodeOptions } from './nodes/local-node.js';
// The cluster: what `unum coordinator`, `unum run --nodes/--cluster` and `unum status` drive.
export { CoordinatorServer, type CoordinatorOptions } from './cluster/coordinator-server.js';
export { EmbeddedCluster, type EmbeddedOptions } from './cluster/embedded-cluster.js';
// The dashboard, opened by the CLI on a run or a standing coordinator.
export { ConsoleTee } from './dashboard/console-tee.js';
export { openRunDashboard } from './dashboard/run-dashboard.js';
export { coordinatorDashboard } from './dashboard/coordinator-dashboard.js';
export type { DashboardServer } from './dashboard/dashboard-server.js';
