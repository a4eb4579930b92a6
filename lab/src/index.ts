// @unum/lab public API: the experiments `unum experiment ...` runs (each run a
// `unum run` child process, so the lab needs the command's path, not the CLI),
// and the helpers tests and benchmarks share (RESULT lines, medians).
export { MatrixInterrupted } from './run-matrix.js';
export { runProtocolLab, writeLabReports, type LabOptions, type LabOutcome } from './protocols/protocol-lab.js';
export { variantLabel } from './protocols/lab-config.js';
export type { LabRow } from './protocols/lab-row.js';
export { LAB_SIZES, LAB_WORKLOADS, parseArgOverrides, workloadArgs, type LabSize } from './protocols/lab-workloads.js';
export { CLIFF_SCOPES, CLIFF_WORKLOADS, runMemoryCliff, type CliffOptions, type CliffWorkload } from './memory-cliff/memory-cliff.js';
export { parseResultLine, parseResultOutput, type ResultLine } from './result-line.js';
export { spreadOf, type Spread } from './median.js';
export { loadSymbols, writeDsmProfile, PROFILE_TOP, type ProfileOutput } from './dsm-profile/write-profile.js';
export { profileReport, profileTables, type ProfileReport, type ProfiledRun } from './dsm-profile/profile-report.js';
export { SymbolTable, type GuestSymbol } from './dsm-profile/symbol-table.js';
export { GuestMap, KERNEL_LINK_ADDR, type GuestRegion } from './dsm-profile/guest-map.js';
export { TapLab, NETIO_PEER, HOST_ADDR, GUEST_ADDR } from './net/tap-lab.js';
export { runLinuxCliff, type LinuxCliffRow } from './linux-cliff/linux-cliff.js';
export type { LinuxCliffOptions } from './linux-cliff/linux-cliff-configs.js';
export { acrossNodesCmdline } from './linux-across-nodes.js';
