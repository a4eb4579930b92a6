/** BASE (0x10): versions, ids and probe_extension. Always present. */
import type { SbiExtension } from './dispatcher.js';
import { EID, SBI_IMPL_ID, SBI_IMPL_VERSION, SBI_SPEC_VERSION, notSupported, ok } from './sbi-abi.js';

export const base: SbiExtension = {
  name: 'BASE',
  eids: [EID.BASE],
  call({ fid, args }, ctx) {
    switch (fid) {
      case 0: return ok(BigInt(SBI_SPEC_VERSION)); // get_spec_version: 2.0
      case 1: return ok(BigInt(SBI_IMPL_ID)); // get_impl_id
      case 2: return ok(BigInt(SBI_IMPL_VERSION)); // get_impl_version
      case 3: return ok(ctx.probe(Number(BigInt.asUintN(32, args[0]!)))); // probe_extension(eid)
      // get_mvendorid / get_marchid / get_mimpid: the engine's mvendorid,
      // marchid and mimpid CSRs read 0 (a virtual hart, like QEMU's generic rv64)
      case 4: case 5: case 6: return ok(0n);
      default: return notSupported();
    }
  },
};
