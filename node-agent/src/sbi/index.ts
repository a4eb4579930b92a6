/**
 * The built-in SBI (the hypervisor implements SBI, as KVM RISC-V does, so a
 * kernel boots with `-bios none` straight into S-mode). To add an
 * extension: write its file (an `SbiExtension`) and add one line below.
 */
import { SbiDispatcher } from './dispatcher.js';
import { base } from './base.js';
import { time } from './time.js';
import { ipi } from './ipi.js';
import { rfence } from './rfence.js';
import { hsm } from './hsm.js';
import { srst } from './srst.js';
import { dbcn } from './dbcn.js';
import { legacy } from './legacy.js';

export function builtinSbi(): SbiDispatcher {
  return new SbiDispatcher()
    .register(base)
    .register(time)
    .register(ipi)
    .register(rfence)
    .register(hsm)
    .register(srst)
    .register(dbcn)
    .register(legacy);
}

export { SbiDispatcher, SbiHostError, type SbiContext, type SbiExtension } from './dispatcher.js';
export * from './sbi-abi.js';
export * from './sbi-host.js';
