// @unum/coordinator public API: the VM builder, its parts, the cluster and the dashboard (the CLI is @unum/cli).
export { Machine, exitCodeOf, type MachineConfig, type MachineOutcome, type MachineResult } from './machine.js';
export { MachineError, type MachineErrorCode } from './machine-error.js';
// Machine's own surface: the console it is given and the error a bad ELF raises (the board itself is @unum/machine).
export { ElfError, type ConsolePort } from '@unum/machine';
// The cluster: what `unum coordinator`, `unum run --nodes/--cluster` and `unum status` drive.
export { CoordinatorServer, type CoordinatorOptions } from './cluster/coordinator-server.js';
export { EmbeddedCluster, type EmbeddedOptions } from './cluster/embedded-cluster.js';
export type { ClusterResult } from './cluster/cluster-vm.js';
export { summaryTable, type ClusterStats } from './cluster/node-report.js';
export { QUANTUM_MAX, QUANTUM_MIN, canonicalProtocol, checkRequest, type VmRequest } from './cluster/vm-plan.js';
// The dashboard, opened by the CLI on a run or a standing coordinator.
export { ConsoleTee } from './dashboard/console-tee.js';
export { openRunDashboard } from './dashboard/run-dashboard.js';
export { coordinatorDashboard } from './dashboard/coordinator-dashboard.js';
export type { DashboardServer } from './dashboard/dashboard-server.js';
