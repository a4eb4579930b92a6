/**
 * A BootSpec on the wire (CreateVmRequest's boot fields) and back: the
 * `--cluster` client sends the files it read; the coordinator turns them
 * into the same BootSpec and lays it out with the same loaders
 * (bootLayoutOf), so a bad file is the same line as on one node.
 */
import { CreateVmRequest_Firmware as Fw, type CreateVmRequest } from '@unum/protos/cluster';
import type { BootSpec } from './boot-spec.js';

export type BootRequestFields = Pick<CreateVmRequest, 'elf' | 'bootargs' | 'initrd' | 'dtb' | 'firmware' | 'firmwareImage' | 'sbiBuiltin'>;

const none = new Uint8Array(0);

export function bootRequestOf(boot: BootSpec): BootRequestFields {
  const fw = boot.firmware ?? { kind: 'bare' };
  return {
    elf: boot.kernel, bootargs: boot.bootargs, initrd: boot.initrd ?? none, dtb: boot.dtb ?? none,
    firmware: fw.kind === 'image' ? Fw.IMAGE : fw.kind === 'sbi' ? Fw.BUILTIN_SBI : Fw.BARE,
    firmwareImage: fw.kind === 'image' ? fw.bytes : none,
    sbiBuiltin: boot.sbi === 'builtin',
  };
}

export function bootSpecOfRequest(r: BootRequestFields): BootSpec {
  return {
    kernel: r.elf, bootargs: r.bootargs,
    initrd: r.initrd.length ? r.initrd : undefined,
    dtb: r.dtb.length ? r.dtb : undefined,
    firmware: r.firmware === Fw.IMAGE ? { kind: 'image', bytes: r.firmwareImage }
      : r.firmware === Fw.BUILTIN_SBI ? { kind: 'sbi' } : { kind: 'bare' },
    sbi: r.sbiBuiltin ? 'builtin' : undefined,
  };
}
