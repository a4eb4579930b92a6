/**
 * protos/cluster.proto as TypeScript sees it through @grpc/proto-loader:
 * camelCase fields, uint64 as decimal strings, enums as names, and the set
 * oneof member named in `kind`. Senders may pass numbers/bigints for uint64.
 */
export type U64 = string | number;

export interface Hello { name: string; advertise: string; memBytes: U64; cores: number; bootId: string; pid: number; swapBytes?: U64 }
export interface Welcome { memberId: number; bootId: string }
export interface ClockPong { seq: number; coordinatorNs: string }
export interface Peer { node: number; address: string }
export interface VmSetup {
  vmId: string; node: number; nodes: number; harts: number[]; hartCount: number; ramBytes: U64; frames: U64;
  protocol: string; unitBytes: number; pagePlacement: string; originNs: string; seq: number;
  /** DSM knobs in effect (every field has a value on the wire; absent from an older coordinator: defaults). */
  knobs?: DsmKnobs | null;
  /** Lockstep: instructions per quantum (0 or absent: free-running). */
  quantum?: number;
}
export interface DsmKnobs { mirageMs?: number; prefetchUnits?: number; homeMigrateAfter?: number }
export interface Load { seq: number; gpa: U64; data: Uint8Array }
export interface Ack { seq: number; error?: string; address?: string; step?: StepReply }
export type StepOp = 'QUANTUM' | 'RESOLVE' | 'PROBE' | 'TICK';
export interface Step { seq: number; op: StepOp; budget?: number; hart?: number; vtimeMs?: number }
export interface StepReply { waiting?: number[]; running?: number; sent?: U64; received?: U64; busy?: number; timers?: number; fired?: number }
export interface Start { pc: U64; a1: U64; seq: number }
export type ControlOp = 'PAUSE' | 'RESUME' | 'STOP';
export interface Control { op: ControlOp; seq: number }
export interface MmioAccess { id: number; gpa: U64; size: number; write: boolean; value: U64 }
export interface MmioReply { id: number; value: U64 }
export interface Irq { hart: number; pin: 'MEIP' | 'SEIP'; level: boolean }
export interface NodeReportMsg { seq: number; json: string }
export interface TelemetryRequest { seq: number; cells: number; inspect: number }
export interface TelemetryMsg { seq: number; json: string; owned: Uint8Array; faults: Uint8Array }

export type AgentMessage =
  | { kind?: 'hello'; hello: Hello }
  | { kind?: 'heartbeat'; heartbeat: Record<string, never> }
  | { kind?: 'clockPing'; clockPing: { seq: number } }
  | { kind?: 'mmio'; mmio: MmioAccess }
  | { kind?: 'clintReply'; clintReply: MmioReply }
  | { kind?: 'ack'; ack: Ack }
  | { kind?: 'halted'; halted: Record<string, never> }
  | { kind?: 'report'; report: NodeReportMsg }
  | { kind?: 'failure'; failure: { message: string } }
  | { kind?: 'telemetry'; telemetry: TelemetryMsg };

export type CoordinatorMessage =
  | { kind?: 'welcome'; welcome: Welcome }
  | { kind?: 'clockPong'; clockPong: ClockPong }
  | { kind?: 'setup'; setup: VmSetup }
  | { kind?: 'peers'; peers: { seq: number; peers: Peer[] } }
  | { kind?: 'load'; load: Load }
  | { kind?: 'start'; start: Start }
  | { kind?: 'control'; control: Control }
  | { kind?: 'mmioReply'; mmioReply: MmioReply }
  | { kind?: 'irq'; irq: Irq }
  | { kind?: 'clint'; clint: MmioAccess }
  | { kind?: 'reportRequest'; reportRequest: { seq: number } }
  | { kind?: 'teardown'; teardown: Record<string, never> }
  | { kind?: 'telemetryRequest'; telemetryRequest: TelemetryRequest }
  | { kind?: 'step'; step: Step };

/** uint64 on the wire → bigint (register values). */
export const toBig = (v: U64 | undefined): bigint => BigInt(v ?? 0);
/** uint64 on the wire → number (addresses and sizes, all < 2^53). */
export const toNum = (v: U64 | undefined): number => Number(v ?? 0);

/** What each agent reports at the end of a run (the `--stats` JSON per node). */
export interface NodeReport {
  node: number;
  name: string;
  harts: number[];
  /** Guest instructions retired per local hart. */
  instret: Record<string, string>;
  /** MMIO accesses forwarded to the coordinator (reads wait a round trip; writes are posted). */
  mmioReads: number;
  mmioWrites: number;
  /** Wall time from start to the report (ms). */
  runMs: number;
  /** Units preloaded at boot (ELF + FDT) by write-faulting them here; included in writeFaults. */
  bootUnits: number;
  framesUsed: number;
  /** @unum/dsm DsmStats of this node. */
  dsm: unknown;
  /** The units with the most faults on this node (DsmNode.pageStats). */
  hotUnits?: import('@unum/dsm').PageStat[];
  /** Frame cap and eviction counters (EvictionStats). */
  memory?: import('../eviction/unit-evictor.js').EvictionStats;
  /** The swap file and device model (SwapStats), when this node swaps. */
  swap?: import('../swap/unit-swap.js').SwapStats;
}
