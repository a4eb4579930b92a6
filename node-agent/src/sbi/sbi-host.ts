/**
 * The two seams of the built-in SBI.
 *
 * - `SbiHost` is what an extension calls. It is synchronous: it runs in the
 *   calling hart's vCPU worker, which may block (Atomics.wait) on the node's
 *   main thread. worker-sbi-host.ts implements it: the calling hart and the
 *   other harts of this node directly on node shared memory, anything else
 *   through the HartMailbox to the main thread. Unit tests use a fake.
 * - `SbiForwarder` is what the node's main thread calls for what this node
 *   cannot do itself: harts placed on other nodes, the console, the end of
 *   the VM. It is injected through NodeAgentConfig.sbiForwarder; the cluster
 *   turns each call into a message to the coordinator / the hart's node,
 *   which applies it with NodeAgent.sbiLocal (local-harts.ts).
 */

/** Where the SBI lives: in the hypervisor (S-mode ecalls exit to us, as KVM) or in guest M-mode firmware (ecalls trap to it). */
export type SbiMode = 'builtin' | 'firmware';

export type RemoteFenceKind = 'fence.i' | 'sfence.vma' | 'sfence.vma.asid';

/** A remote fence request. We flush every cached translation and decoded
 *  instruction of the target harts (a superset of what is asked). */
export interface RemoteFence {
  kind: RemoteFenceKind;
  /** sfence.vma(.asid): virtual address range; size all ones (or start = size = 0) = everything. */
  start: bigint;
  size: bigint;
  asid: bigint;
}

/** What SBI extensions need from the hart that made the call and from the VM. */
export interface SbiHost {
  /** Harts in the VM (valid hart ids are 0..hartCount-1). */
  readonly hartCount: number;
  /** Guest RAM: [ramBase, ramBase + ramBytes). */
  readonly ramBase: number;
  readonly ramBytes: number;

  // ---- the calling hart ----
  /** TIME set_timer: clear pending STIP and raise it when mtime >= stime. */
  setTimer(stime: bigint): void;
  /** Legacy clear_ipi: clear the caller's SSIP. */
  clearIpi(): void;
  /** Guest-physical read/write (RAM only; throws RangeError outside RAM). */
  readPhys(gpa: number, length: number): Uint8Array;
  writePhys(gpa: number, bytes: Uint8Array): void;
  /** Read through the caller's current S-mode translation (satp), for legacy calls that pass pointers. Undefined if unmapped. */
  readVirt(va: bigint, length: number): Uint8Array | undefined;

  // ---- any hart of the VM ----
  /** Raise SSIP on each hart. */
  sendIpi(harts: readonly number[]): void;
  /** Flush the harts' translations / decoded code; returns once they are done. */
  remoteFence(harts: readonly number[], fence: RemoteFence): void;
  /** HSM hart_start: an SBI error code (0 = the hart will start at addr in S-mode, a0 = hart, a1 = opaque). */
  hartStart(hart: number, addr: bigint, opaque: bigint): number;
  /** HSM hart_get_status: an HSM_* state, or an SBI error code (< 0). */
  hartStatus(hart: number): number;
  /** HSM hart_stop of the caller: mark it stopped (the worker parks it). */
  stopSelf(): void;

  // ---- the VM ----
  /** SRST system_reset (type 0 shutdown, 1 cold reboot, 2 warm reboot): ends the VM. */
  systemReset(type: number, reason: number): void;
  /** DBCN / legacy putchar: bytes to the VM console (the one the UART writes to). Returns bytes taken. */
  consoleWrite(bytes: Uint8Array): number;
  /** DBCN console_read / legacy getchar: up to `max` pending input bytes (maybe none). */
  consoleRead(max: number): Uint8Array;
}

/**
 * What a node cannot do itself, called on the node agent's main thread.
 * Inject it as NodeAgentConfig.sbiForwarder. Every hart list here names
 * harts on *other* nodes only; local harts never reach the forwarder.
 * Without one, NodeAgent uses deviceSbiForwarder(mmio): console and reset
 * through the board's UART and test finisher, and no remote harts.
 */
export interface SbiForwarder {
  /** Raise SSIP on these harts (on other nodes). */
  sendIpi(harts: readonly number[]): Promise<void>;
  /** Run the fence on these harts (on other nodes); resolve once every target has flushed. */
  remoteFence(harts: readonly number[], fence: RemoteFence): Promise<void>;
  /** hart_start of a hart on another node: resolve with what its node's NodeAgent.sbiLocal.hartStart returned. */
  hartStart(hart: number, addr: bigint, opaque: bigint): Promise<number>;
  /** hart_get_status of a hart on another node: its node's NodeAgent.sbiLocal.hartStatus(hart). */
  hartStatus(hart: number): Promise<number>;
  /**
   * SRST: end the VM. type 0 = shutdown: end as the test finisher's pass
   * (exit 0). type 1/2 = cold/warm reboot: not implemented; end the VM with
   * a reason that says so. `reason` is the SBI reset reason (0 none, 1 system failure).
   */
  systemReset(type: number, reason: number): Promise<void>;
  /** DBCN console_write(_byte), legacy putchar: to the VM console, in order with UART output. */
  consoleWrite(bytes: Uint8Array): Promise<void>;
  /** DBCN console_read, legacy getchar: up to `max` pending input bytes, or none. */
  consoleRead(max: number): Promise<Uint8Array>;
}

export const SRST_SHUTDOWN = 0;
export const SRST_COLD_REBOOT = 1;
export const SRST_WARM_REBOOT = 2;

/** The reason the VM ends with for a reset type (for logs and `stopped` outcomes). */
export function resetReason(type: number, reason: number): string {
  const why = reason === 1 ? ', reason: system failure' : reason === 0 ? '' : `, reason ${reason}`;
  switch (type) {
    case SRST_SHUTDOWN: return `guest shutdown (SBI SRST${why})`;
    case SRST_COLD_REBOOT: return `guest asked for a cold reboot (SBI SRST${why}); reboot is not implemented, the VM ends`;
    case SRST_WARM_REBOOT: return `guest asked for a warm reboot (SBI SRST${why}); reboot is not implemented, the VM ends`;
    default: return `guest system reset type ${type}${why}`;
  }
}
