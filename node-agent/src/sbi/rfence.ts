/**
 * RFENCE (0x52464E43): remote_fence_i, remote_sfence_vma and
 * remote_sfence_vma_asid on a hart mask. Every target drops all its cached
 * translations and decoded instructions (a superset of each request), and
 * the call returns once they have. The hfence functions (3..6) need the H
 * extension, which the engine does not have: SBI_ERR_NOT_SUPPORTED.
 */
import type { SbiExtension } from './dispatcher.js';
import { decodeHartMask } from './hart-mask.js';
import { EID, SBI_ERR_INVALID_PARAM, notSupported, ok, ret } from './sbi-abi.js';
import type { RemoteFenceKind } from './sbi-host.js';

const KINDS: RemoteFenceKind[] = ['fence.i', 'sfence.vma', 'sfence.vma.asid'];

export const rfence: SbiExtension = {
  name: 'RFENCE',
  eids: [EID.RFENCE],
  call({ fid, args }, { host }) {
    const kind = KINDS[fid];
    if (!kind) return notSupported();
    const harts = decodeHartMask(args[0]!, args[1]!, host.hartCount);
    if (!harts) return ret(SBI_ERR_INVALID_PARAM);
    if (harts.length) {
      host.remoteFence(harts, {
        kind,
        start: kind === 'fence.i' ? 0n : args[2]!,
        size: kind === 'fence.i' ? 0n : args[3]!,
        asid: kind === 'sfence.vma.asid' ? args[4]! : 0n,
      });
    }
    return ok();
  },
};
