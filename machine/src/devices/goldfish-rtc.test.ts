import { describe, expect, it } from 'vitest';
import {
  GoldfishRtc, hostWallNs, RTC_ALARM_LOW, RTC_ALARM_HIGH, RTC_ALARM_STATUS, RTC_CLEAR_INTERRUPT, RTC_IRQ_ENABLED, RTC_TIME_HIGH, RTC_TIME_LOW,
} from './goldfish-rtc.js';

function rtc(start: bigint) {
  let wall = start;
  const irq: boolean[] = [];
  const dev = new GoldfishRtc({ irqLine: (src, level) => { expect(src).toBe(11); irq.push(level); } }, 11, () => wall);
  const time = (): bigint => dev.read(RTC_TIME_LOW) | (dev.read(RTC_TIME_HIGH) << 32n);
  return { dev, irq, time, tick: (ns: bigint) => { wall += ns; } };
}

describe('goldfish RTC', () => {
  it('reads the host wall clock in ns, high half latched by the TIME_LOW read', () => {
    const r = rtc(0x1_2345_6789_abcdn);
    expect(r.time()).toBe(0x1_2345_6789_abcdn);
    r.dev.read(RTC_TIME_LOW);
    r.tick(1n << 40n);
    expect(r.dev.read(RTC_TIME_HIGH)).toBe(0x1_2345_6789_abcdn >> 32n); // not re-read until TIME_LOW is
    const real = new GoldfishRtc({ irqLine: () => {} }, 11);
    const ns = real.read(RTC_TIME_LOW) | (real.read(RTC_TIME_HIGH) << 32n);
    expect(Number(ns / 1_000_000n)).toBeGreaterThan(Date.parse('2024-01-01'));
    expect(Number((hostWallNs() - ns) / 1_000_000n)).toBeLessThan(1000);
  });

  it('setting the time (TIME_HIGH, then TIME_LOW) offsets the guest clock, which keeps running', () => {
    const r = rtc(5_000_000_000n);
    const target = 0x7_0000_0010n;
    r.dev.write(RTC_TIME_HIGH, 4, target >> 32n);
    r.dev.write(RTC_TIME_LOW, 4, target & 0xffff_ffffn);
    expect(r.time()).toBe(target);
    r.tick(10n);
    expect(r.time()).toBe(target + 10n);
  });

  it('an alarm in the past raises IRQ 11 once enabled, until CLEAR_INTERRUPT', () => {
    const r = rtc(1000n);
    r.dev.write(RTC_IRQ_ENABLED, 4, 1n);
    r.dev.write(RTC_ALARM_HIGH, 4, 0n);
    r.dev.write(RTC_ALARM_LOW, 4, 500n);
    expect(r.irq.at(-1)).toBe(true);
    expect(r.dev.read(RTC_ALARM_STATUS)).toBe(0n);
    r.dev.write(RTC_CLEAR_INTERRUPT, 4, 1n);
    expect(r.irq.at(-1)).toBe(false);
  });

  it('a future alarm fires from a host timer', async () => {
    const dev = new GoldfishRtc({ irqLine: (_s, level) => { if (level) fired(); } }, 11);
    let fired!: () => void;
    const done = new Promise<void>((r) => { fired = r; });
    dev.write(RTC_IRQ_ENABLED, 4, 1n);
    const at = hostWallNs() + 20_000_000n;
    dev.write(RTC_ALARM_HIGH, 4, at >> 32n);
    dev.write(RTC_ALARM_LOW, 4, at & 0xffff_ffffn);
    expect(dev.read(RTC_ALARM_STATUS)).toBe(1n);
    await done;
    expect(hostWallNs()).toBeGreaterThanOrEqual(at);
  });
});
