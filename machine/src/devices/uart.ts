/**
 * ns16550a UART (byte registers), the QEMU virt console; the board puts it
 * at 0x1000_0000 with IRQ 10. Transmit is instant (LSR THRE|TEMT always set); receive takes
 * bytes from the host console into an unbounded queue so piped stdin is
 * never dropped (a FIFO reset does not discard host input that has not been
 * shown to the guest yet).
 */
import { node, prop } from '../fdt/fdt-blob.js';
import { unitName, type DeviceContext, type DeviceKind, type MmioDevice } from './device.js';

export const UART_CLOCK_HZ = 3_686_400;

const IER_RDA = 0x01;
const IER_THRE = 0x02;
const LCR_DLAB = 0x80;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
const IIR_NONE = 0x01;
const IIR_THRE = 0x02;
const IIR_RDA = 0x04;
const IIR_FIFO = 0xc0;
const FCR_ENABLE = 0x01;
const MSR_DEFAULT = 0xb0; // DCD | DSR | CTS: a modem that is always there

export class Uart16550 implements MmioDevice {
  readonly name = 'uart';
  private rx: number[] = [];
  private rxHead = 0;
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private fcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  /** THR-empty interrupt latched until IIR reports it or THR is written. */
  private thrPending = false;
  private irqLevel = false;

  /** `irq`: the PLIC source the board wired it to. */
  constructor(private readonly ctx: Pick<DeviceContext, 'console' | 'irqLine'>, private readonly irq: number) {
    ctx.console.onInput((bytes) => {
      for (const b of bytes) this.rx.push(b);
      this.updateIrq();
    });
  }

  private rxReady(): boolean {
    return this.rxHead < this.rx.length;
  }

  private popRx(): number {
    if (!this.rxReady()) return 0;
    const b = this.rx[this.rxHead++]!;
    if (this.rxHead > 4096 && this.rxHead * 2 > this.rx.length) {
      this.rx = this.rx.slice(this.rxHead);
      this.rxHead = 0;
    }
    return b;
  }

  private iir(): number {
    const fifo = this.fcr & FCR_ENABLE ? IIR_FIFO : 0;
    if (this.ier & IER_RDA && this.rxReady()) return fifo | IIR_RDA;
    if (this.ier & IER_THRE && this.thrPending) return fifo | IIR_THRE;
    return fifo | IIR_NONE;
  }

  private updateIrq(): void {
    const level = (this.iir() & IIR_NONE) === 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.ctx.irqLine(this.irq, level);
    }
  }

  read(offset: number): bigint {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    let v: number;
    switch (offset) {
      case 0: v = dlab ? this.dll : this.popRx(); break;
      case 1: v = dlab ? this.dlm : this.ier; break;
      case 2:
        v = this.iir();
        if ((v & 0x0f) === IIR_THRE) this.thrPending = false;
        break;
      case 3: v = this.lcr; break;
      case 4: v = this.mcr; break;
      case 5: v = LSR_THRE | LSR_TEMT | (this.rxReady() ? LSR_DR : 0); break;
      case 6: v = MSR_DEFAULT; break;
      case 7: v = this.scr; break;
      default: v = 0;
    }
    this.updateIrq();
    return BigInt(v);
  }

  write(offset: number, _size: number, value: bigint): void {
    const v = Number(value & 0xffn);
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        if (dlab) this.dll = v;
        else {
          this.ctx.console.write(Uint8Array.of(v));
          this.thrPending = true; // sent at once: THR is empty again
        }
        break;
      case 1:
        if (dlab) this.dlm = v;
        else {
          const risingThre = (v & IER_THRE) !== 0 && (this.ier & IER_THRE) === 0;
          this.ier = v & 0x0f;
          if (risingThre) this.thrPending = true;
        }
        break;
      case 2: this.fcr = v & 0xc9; break;
      case 3: this.lcr = v; break;
      case 4: this.mcr = v & 0x1f; break;
      case 7: this.scr = v; break;
      default: break; // LSR and MSR are read-only
    }
    this.updateIrq();
  }
}

export const uart: DeviceKind = {
  name: 'uart',
  postWrites: true,
  console: true,
  create: (ctx, at) => new Uart16550(ctx, irqOf(at.irq)),
  fdt: (at, refs) => node(unitName('serial', at.base), [
    ['interrupts', prop.u32(irqOf(at.irq))],
    ['interrupt-parent', prop.u32(refs.irqParent)],
    ['clock-frequency', prop.u32(UART_CLOCK_HZ)],
    ['reg', prop.u64(at.base, at.size)],
    ['compatible', prop.str('ns16550a')],
  ]),
};

function irqOf(irq: number | undefined): number {
  if (irq === undefined) throw new RangeError('the UART needs an IRQ in its placement');
  return irq;
}
