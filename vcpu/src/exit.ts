/**
 * What `Vcpu.run()` hands back to the host: one small discriminated union,
 * in the manner of KVM's `kvm_run.exit_reason`. `run()` returns only when the
 * host has something to decide.
 */
export type Access = 'read' | 'write' | 'fetch';

export type VcpuExit =
  /** Load/store to a guest-physical address outside RAM. A read completes
   *  with `Vcpu.completeMmio(value)` before the next `run()`. */
  | { kind: 'mmio'; gpa: number; size: 1 | 2 | 4 | 8; write: boolean; value: bigint }
  /** RAM page not held with the needed right (an EPT violation). The host
   *  fixes the page-table entry; the next `run()` retries the instruction. */
  | { kind: 'page'; gpa: number; access: Access }
  /** S-mode ecall with SBI forwarding enabled: a7 = extension, a6 = function,
   *  a0..a5 = args. Complete with `Vcpu.completeSbi(error, value)`. */
  | { kind: 'sbi'; ext: number; fid: number; args: bigint[] }
  /** WFI with no enabled interrupt pending. */
  | { kind: 'wfi' }
  /** The hart stopped for good (host stop request, or SBI HSM stop). */
  | { kind: 'halt'; reason: string }
  /** Instruction budget spent, or the host kicked the hart: nothing to do.
   *  `spinning`: the hart runs a spin-wait loop (64 PAUSEs close together),
   *  so a host with fewer cores than harts may give its core away a moment. */
  | { kind: 'yield'; spinning?: true };
