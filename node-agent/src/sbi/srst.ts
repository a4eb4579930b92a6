/**
 * SRST (0x53525354): system_reset(reset_type, reset_reason). Shutdown ends
 * the VM as the test finisher's pass does. Cold and warm reboot end the VM
 * too, with a reason saying a reboot was asked for: a real reset is not
 * implemented yet. The call does not return.
 */
import type { SbiExtension } from './dispatcher.js';
import { EID, SBI_ERR_INVALID_PARAM, notSupported, ret } from './sbi-abi.js';

const VENDOR = 0xf000_0000;

export const srst: SbiExtension = {
  name: 'SRST',
  eids: [EID.SRST],
  call({ fid, args }, { host }) {
    if (fid !== 0) return notSupported();
    const type = Number(BigInt.asUintN(32, args[0]!));
    const reason = Number(BigInt.asUintN(32, args[1]!));
    if (type >= VENDOR) return notSupported(); // no vendor reset types
    if (type > 2) return ret(SBI_ERR_INVALID_PARAM);
    if (reason > 1 && reason < VENDOR) return ret(SBI_ERR_INVALID_PARAM);
    host.systemReset(type, reason);
    return { kind: 'stop' };
  },
};
