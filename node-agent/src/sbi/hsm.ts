/**
 * HSM (0x48534D): hart_start, hart_stop, hart_get_status, hart_suspend.
 * A started hart enters S-mode at start_addr with a0 = hart id, a1 =
 * opaque, satp = 0 and interrupts off (supervisor-entry.ts). Suspend: the
 * default retentive type (0) is WFI semantics (return 0 once an interrupt
 * is pending); the default non-retentive type (0x80000000) resumes at
 * resume_addr like a start. Platform-specific types are not supported.
 */
import type { SbiContext, SbiExtension } from './dispatcher.js';
import {
  EID, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, notSupported, ok, ret, type SbiOutcome,
} from './sbi-abi.js';

export const SUSPEND_RETENTIVE = 0x0000_0000;
export const SUSPEND_NON_RETENTIVE = 0x8000_0000;

function inRam(ctx: SbiContext, addr: bigint): boolean {
  const { ramBase, ramBytes } = ctx.host;
  return addr >= BigInt(ramBase) && addr < BigInt(ramBase) + BigInt(ramBytes);
}

function suspend(type: number, resume: bigint, opaque: bigint, ctx: SbiContext): SbiOutcome {
  if (type === SUSPEND_RETENTIVE) return { kind: 'suspend' };
  if (type === SUSPEND_NON_RETENTIVE) {
    return inRam(ctx, resume) ? { kind: 'suspend-resume', addr: resume, opaque } : ret(SBI_ERR_INVALID_ADDRESS);
  }
  const reserved = (type > 0 && type < 0x1000_0000) || (type > 0x8000_0000 && type < 0x9000_0000);
  return reserved ? ret(SBI_ERR_INVALID_PARAM) : notSupported(); // platform-specific: none here
}

export const hsm: SbiExtension = {
  name: 'HSM',
  eids: [EID.HSM],
  call({ fid, args }, ctx) {
    const { host } = ctx;
    switch (fid) {
      case 0: { // hart_start(hartid, start_addr, opaque)
        const hart = args[0]!;
        if (hart >= BigInt(host.hartCount)) return ret(SBI_ERR_INVALID_PARAM);
        if (!inRam(ctx, args[1]!)) return ret(SBI_ERR_INVALID_ADDRESS);
        return ret(host.hartStart(Number(hart), args[1]!, args[2]!));
      }
      case 1: // hart_stop(): does not return
        host.stopSelf();
        return { kind: 'stop' };
      case 2: { // hart_get_status(hartid)
        const hart = args[0]!;
        if (hart >= BigInt(host.hartCount)) return ret(SBI_ERR_INVALID_PARAM);
        const s = host.hartStatus(Number(hart));
        return s < 0 ? ret(s) : ok(BigInt(s));
      }
      case 3: // hart_suspend(suspend_type, resume_addr, opaque)
        return suspend(Number(BigInt.asUintN(32, args[0]!)), args[1]!, args[2]!, ctx);
      default:
        return notSupported();
    }
  },
};
