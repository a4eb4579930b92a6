/**
 * SiFive test finisher ("sifive,test0") at 0x10_0000: the guest's way to end
 * the VM with a status, as on QEMU virt. Its writes are not posted: the
 * writing hart waits, so nothing it does afterwards reaches a device. 0x5555 = pass, (code << 16) | 0x3333
 * = fail with code, 0x7777 = reset (which unum treats as an exit).
 */
import { registerDevice, type DeviceContext, type MmioDevice } from './device.js';

export const FINISHER_BASE = 0x10_0000;
export const FINISHER_SIZE = 0x1000;

const PASS = 0x5555;
const FAIL = 0x3333;
const RESET = 0x7777;

export class TestFinisher implements MmioDevice {
  readonly name = 'test';
  readonly base = FINISHER_BASE;
  readonly size = FINISHER_SIZE;
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

registerDevice('test', (ctx) => new TestFinisher(ctx));
