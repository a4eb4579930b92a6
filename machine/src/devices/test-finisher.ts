/**
 * SiFive test finisher ("sifive,test0"; the board puts it at 0x10_0000): the guest's way to end
 * the VM with a status, as on QEMU virt. Its writes are not posted: the
 * writing hart waits, so nothing it does afterwards reaches a device. 0x5555 = pass, (code << 16) | 0x3333
 * = fail with code, 0x7777 = reset (which unum treats as an exit).
 */
import { node, prop } from '../fdt/fdt-blob.js';
import { unitName, type DeviceContext, type DeviceKind, type MmioDevice } from './device.js';

const PASS = 0x5555;
const FAIL = 0x3333;
const RESET = 0x7777;

export class TestFinisher implements MmioDevice {
  readonly name = 'test';
  constructor(private readonly ctx: Pick<DeviceContext, 'finish'>) {}

  read(): bigint {
    return 0n;
  }

  write(offset: number, _size: number, value: bigint): void {
    if (offset !== 0) return;
    const word = Number(value & 0xffff_ffffn);
    const status = word & 0xffff;
    if (status === PASS) this.ctx.finish({ kind: 'pass' });
    else if (status === FAIL) this.ctx.finish({ kind: 'fail', code: word >>> 16 });
    else if (status === RESET) this.ctx.finish({ kind: 'reset' });
  }
}

/** Also a syscon: /poweroff and /reboot write PASS and RESET to it (Linux's syscon-poweroff/-reboot). */
export const testFinisher: DeviceKind = {
  name: 'test',
  role: 'referenced',
  create: (ctx) => new TestFinisher(ctx),
  fdt: (at, refs) => node(unitName('test', at.base), [
    ['phandle', prop.u32(refs.phandle)],
    ['reg', prop.u64(at.base, at.size)],
    ['compatible', prop.str('sifive,test1', 'sifive,test0', 'syscon')],
  ]),
  fdtRoot: (_at, refs) => [
    node('poweroff', [
      ['value', prop.u32(PASS)], ['offset', prop.u32(0)], ['regmap', prop.u32(refs.phandle)],
      ['compatible', prop.str('syscon-poweroff')],
    ]),
    node('reboot', [
      ['value', prop.u32(RESET)], ['offset', prop.u32(0)], ['regmap', prop.u32(refs.phandle)],
      ['compatible', prop.str('syscon-reboot')],
    ]),
  ],
};
