/** IPI (0x735049): send_ipi(hart_mask, hart_mask_base) raises SSIP on the targets (on any node). */
import type { SbiExtension } from './dispatcher.js';
import { decodeHartMask } from './hart-mask.js';
import { EID, SBI_ERR_INVALID_PARAM, notSupported, ok, ret } from './sbi-abi.js';

export const ipi: SbiExtension = {
  name: 'IPI',
  eids: [EID.IPI],
  call({ fid, args }, { host }) {
    if (fid !== 0) return notSupported();
    const harts = decodeHartMask(args[0]!, args[1]!, host.hartCount);
    if (!harts) return ret(SBI_ERR_INVALID_PARAM);
    if (harts.length) host.sendIpi(harts);
    return ok();
  },
};
