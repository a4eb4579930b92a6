/**
 * TIME (0x54494D45): set_timer(stime_value). Clears the caller's pending
 * STIP and raises it once mtime >= stime_value. The host arms the hart's
 * Sstc compare (stimecmp with menvcfg.STCE, which the hypervisor owns here)
 * as KVM does with vstimecmp on Sstc hardware, so a guest that writes
 * stimecmp itself and one that calls set_timer share one timer.
 */
import type { SbiExtension } from './dispatcher.js';
import { EID, notSupported, ok } from './sbi-abi.js';

export const time: SbiExtension = {
  name: 'TIME',
  eids: [EID.TIME],
  call({ fid, args }, { host }) {
    if (fid !== 0) return notSupported();
    host.setTimer(args[0]!);
    return ok();
  },
};
