/**
 * Goldfish RTC ("google,goldfish-rtc", QEMU hw/rtc/goldfish_rtc.c; the
 * board puts it at 0x10_1000 with IRQ 11): nanoseconds since the Unix
 * epoch from the host's wall clock, so a Linux guest's clock does not start
 * at 1970, plus one alarm. Reading TIME_LOW latches the high half for
 * TIME_HIGH; writing TIME_HIGH then TIME_LOW sets the guest's time (an
 * offset from the host's; the host clock is never touched).
 */
import { node, prop } from '../fdt/fdt-blob.js';
import { unitName, type DeviceContext, type DeviceKind, type MmioDevice } from './device.js';

export const RTC_TIME_LOW = 0x00;
export const RTC_TIME_HIGH = 0x04;
export const RTC_ALARM_LOW = 0x08;
export const RTC_ALARM_HIGH = 0x0c;
export const RTC_IRQ_ENABLED = 0x10;
export const RTC_CLEAR_ALARM = 0x14;
export const RTC_ALARM_STATUS = 0x18;
export const RTC_CLEAR_INTERRUPT = 0x1c;

const MASK32 = 0xffff_ffffn;
/** The host's wall clock in ns (µs resolution). */
export const hostWallNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

export class GoldfishRtc implements MmioDevice {
  readonly name = 'rtc';
  private offset = 0n;
  private timeHigh = 0n;
  private alarm = 0n;
  private alarmRunning = false;
  private irqEnabled = false;
  private irqPending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: Pick<DeviceContext, 'irqLine'>, private readonly irq: number, private readonly wallNs: () => bigint = hostWallNs) {}

  private now(): bigint {
    return this.wallNs() + this.offset;
  }

  read(offset: number): bigint {
    switch (offset) {
      case RTC_TIME_LOW: {
        const t = this.now();
        this.timeHigh = t >> 32n;
        return t & MASK32;
      }
      case RTC_TIME_HIGH: return this.timeHigh;
      case RTC_ALARM_LOW: return this.alarm & MASK32;
      case RTC_ALARM_HIGH: return this.alarm >> 32n;
      case RTC_IRQ_ENABLED: return this.irqEnabled ? 1n : 0n;
      case RTC_ALARM_STATUS: return this.alarmRunning ? 1n : 0n;
      default: return 0n;
    }
  }

  write(offset: number, _size: number, value: bigint): void {
    const v = value & MASK32;
    switch (offset) {
      case RTC_TIME_LOW: this.offset = ((this.timeHigh << 32n) | v) - this.wallNs(); break;
      case RTC_TIME_HIGH: this.timeHigh = v; break;
      case RTC_ALARM_LOW: this.alarm = (this.alarm & (MASK32 << 32n)) | v; this.arm(); break;
      case RTC_ALARM_HIGH: this.alarm = (v << 32n) | (this.alarm & MASK32); break;
      case RTC_IRQ_ENABLED: this.irqEnabled = (v & 1n) === 1n; this.update(); break;
      case RTC_CLEAR_ALARM: this.disarm(); break;
      case RTC_CLEAR_INTERRUPT: this.irqPending = false; this.update(); break;
      default: break;
    }
  }

  private arm(): void {
    this.disarm();
    this.alarmRunning = true;
    const wait = this.alarm - this.now();
    if (wait <= 0n) return this.fire();
    const ms = Number(wait / 1_000_000n) + 1;
    this.timer = setTimeout(() => (this.alarm <= this.now() ? this.fire() : this.arm()), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref?.();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.alarmRunning = false;
  }

  private fire(): void {
    this.disarm();
    this.irqPending = true;
    this.update();
  }

  private update(): void {
    this.ctx.irqLine(this.irq, this.irqPending && this.irqEnabled);
  }
}

export const goldfishRtc: DeviceKind = {
  name: 'rtc',
  create: (ctx, at) => new GoldfishRtc(ctx, at.irq!),
  fdt: (at, refs) => node(unitName('rtc', at.base), [
    ['interrupts', prop.u32(at.irq!)],
    ['interrupt-parent', prop.u32(refs.irqParent)],
    ['reg', prop.u64(at.base, at.size)],
    ['compatible', prop.str('google,goldfish-rtc')],
  ]),
};
