import { describe, expect, it } from 'vitest';
import type { ConsolePort } from './device.js';
import { UART_IRQ } from '../board/memory-map.js';
import { Uart16550 } from './uart.js';

function rig() {
  const out: number[] = [];
  const irq: boolean[] = [];
  let push: (b: Uint8Array) => void = () => {};
  const console: ConsolePort = { write: (b) => out.push(...b), onInput: (r) => { push = r; } };
  const uart = new Uart16550({ console, irqLine: (src, level) => { expect(src).toBe(UART_IRQ); irq.push(level); } }, UART_IRQ);
  const rd = (off: number): number => Number(uart.read(off));
  const wr = (off: number, v: number): void => uart.write(off, 1, BigInt(v));
  return { uart, out, irq, push: (s: string) => push(new TextEncoder().encode(s)), rd, wr };
}

describe('ns16550a UART', () => {
  it('transmits THR bytes and always reports the transmitter empty', () => {
    const u = rig();
    u.wr(0, 0x41);
    u.wr(0, 0x42);
    expect(u.out).toEqual([0x41, 0x42]);
    expect(u.rd(5) & 0x60).toBe(0x60);
  });

  it('queues host input in order and flags data ready', () => {
    const u = rig();
    expect(u.rd(5) & 1).toBe(0);
    u.push('hi');
    expect(u.rd(5) & 1).toBe(1);
    expect(u.rd(0)).toBe(0x68);
    expect(u.rd(0)).toBe(0x69);
    expect(u.rd(5) & 1).toBe(0);
    expect(u.rd(0)).toBe(0); // empty RBR reads 0
  });

  it('raises IRQ 10 for received data only when IER enables it', () => {
    const u = rig();
    u.push('x');
    expect(u.irq).toEqual([]);
    expect(u.rd(2) & 0x0f).toBe(0x01); // IIR: nothing pending
    u.wr(1, 0x01);
    expect(u.irq).toEqual([true]);
    expect(u.rd(2) & 0x0f).toBe(0x04); // IIR: RX data available
    u.rd(0);
    expect(u.irq).toEqual([true, false]);
  });

  it('latches THRE interrupts until IIR reports them', () => {
    const u = rig();
    u.wr(1, 0x02);
    expect(u.irq).toEqual([true]);
    expect(u.rd(2) & 0x0f).toBe(0x02);
    expect(u.irq).toEqual([true, false]);
    expect(u.rd(2) & 0x0f).toBe(0x01);
    u.wr(0, 0x41); // THR empties again at once
    expect(u.irq).toEqual([true, false, true]);
  });

  it('switches offsets 0/1 to the divisor latch under DLAB and keeps scratch', () => {
    const u = rig();
    u.wr(1, 0x05);
    u.wr(3, 0x83);
    u.wr(0, 0x0c);
    u.wr(1, 0x00);
    expect(u.rd(0)).toBe(0x0c);
    expect(u.rd(1)).toBe(0x00);
    u.wr(3, 0x03);
    expect(u.rd(1)).toBe(0x05); // IER untouched by the DLM write
    expect(u.out).toEqual([]);
    u.wr(7, 0x5a);
    expect(u.rd(7)).toBe(0x5a);
    expect(u.rd(3)).toBe(0x03);
    u.wr(2, 0x07);
    expect(u.rd(2) & 0xc0).toBe(0xc0); // FIFOs enabled
    expect(u.rd(6)).toBe(0xb0);
  });
});
