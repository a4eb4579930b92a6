/**
 * The SBI calling convention and numbers (RISC-V SBI v2.0): an S-mode
 * `ecall` with the extension id in a7, the function id in a6 and arguments
 * in a0..a5; the answer is a0 = error, a1 = value. Legacy (v0.1) calls
 * return a single value in a0 (see legacy.ts).
 */

/** Error codes (a0). */
export const SBI_SUCCESS = 0;
export const SBI_ERR_FAILED = -1;
export const SBI_ERR_NOT_SUPPORTED = -2;
export const SBI_ERR_INVALID_PARAM = -3;
export const SBI_ERR_DENIED = -4;
export const SBI_ERR_INVALID_ADDRESS = -5;
export const SBI_ERR_ALREADY_AVAILABLE = -6;
export const SBI_ERR_ALREADY_STARTED = -7;
export const SBI_ERR_ALREADY_STOPPED = -8;

/** Extension ids (a7). */
export const EID = {
  BASE: 0x10,
  TIME: 0x54494d45,
  IPI: 0x735049,
  RFENCE: 0x52464e43,
  HSM: 0x48534d,
  SRST: 0x53525354,
  DBCN: 0x4442434e,
  // legacy v0.1: one extension id per function
  LEGACY_SET_TIMER: 0x00,
  LEGACY_CONSOLE_PUTCHAR: 0x01,
  LEGACY_CONSOLE_GETCHAR: 0x02,
  LEGACY_CLEAR_IPI: 0x03,
  LEGACY_SEND_IPI: 0x04,
  LEGACY_REMOTE_FENCE_I: 0x05,
  LEGACY_REMOTE_SFENCE_VMA: 0x06,
  LEGACY_REMOTE_SFENCE_VMA_ASID: 0x07,
  LEGACY_SHUTDOWN: 0x08,
} as const;

/** HSM hart states (hart_get_status). */
export const HSM_STARTED = 0;
export const HSM_STOPPED = 1;
export const HSM_START_PENDING = 2;
export const HSM_STOP_PENDING = 3;
export const HSM_SUSPENDED = 4;
export const HSM_SUSPEND_PENDING = 5;
export const HSM_RESUME_PENDING = 6;

/** SBI spec version 2.0: (major << 24) | minor. */
export const SBI_SPEC_VERSION = (2 << 24) | 0;
/**
 * Our implementation id. The SBI spec's registry uses 0 BBL, 1 OpenSBI,
 * 2 Xvisor, 3 KVM, 4 RustSBI, 5 Diosix, 6 Coffer, 7 Xen, 8 PolarFire HSS,
 * 9 coreboot, 10 oreboot, 11 bhyve; 0x756e756d ("unum" in ASCII) is far
 * from all of them. get_impl_version answers 1.
 */
export const SBI_IMPL_ID = 0x756e756d;
export const SBI_IMPL_VERSION = 1;

/** An S-mode ecall as the engine reports it (`sbi` exit). */
export interface SbiCall {
  ext: number;
  fid: number;
  /** a0..a5, unsigned 64-bit. */
  args: readonly bigint[];
}

/** How an SBI call ends for the calling hart. */
export type SbiOutcome =
  /** Complete the ecall: a0 = error, a1 = value, pc moves past it. */
  | { kind: 'ret'; error: number; value: bigint }
  /** Legacy (v0.1) call: a0 = value, a1 untouched (as KVM). */
  | { kind: 'legacy'; value: bigint }
  /** The hart stops (HSM hart_stop, SRST): the ecall never returns. */
  | { kind: 'stop' }
  /** Retentive suspend: complete with success once an interrupt is pending. */
  | { kind: 'suspend' }
  /** Non-retentive suspend: on an interrupt, resume in S-mode at `addr` (a0 = hart id, a1 = opaque). */
  | { kind: 'suspend-resume'; addr: bigint; opaque: bigint };

export const ret = (error: number, value: bigint = 0n): SbiOutcome => ({ kind: 'ret', error, value });
export const ok = (value: bigint = 0n): SbiOutcome => ({ kind: 'ret', error: SBI_SUCCESS, value });
export const notSupported = (): SbiOutcome => ret(SBI_ERR_NOT_SUPPORTED);

/** a0 of an outcome, as the unsigned register value the engine stores. */
export function errorWord(error: number): bigint {
  return BigInt.asUintN(64, BigInt(error));
}

/** All ones: the hart_mask_base that means "every hart". */
export const MASK_BASE_ALL = 0xffff_ffff_ffff_ffffn;
