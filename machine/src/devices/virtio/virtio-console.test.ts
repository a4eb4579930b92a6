import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../test-support/virtio-driver.js';
import { VirtioConsole } from './virtio-console.js';

describe('virtio-console', () => {
  it('sends what the guest transmits to the host and host input into posted receive buffers', async () => {
    const out: string[] = [];
    const con = new VirtioConsole((b) => out.push(new TextDecoder().decode(b)));
    const d = new TestDriver(con);
    d.submit(1, [{ addr: d.alloc(5, new TextEncoder().encode('hello')), len: 5 }]);
    await d.settle(1);
    expect(out).toEqual(['hello']);
    con.input(new TextEncoder().encode('typed')); // no receive buffer yet: kept
    const rx = d.alloc(16);
    d.submit(0, [{ addr: rx, len: 16, write: true }]);
    await d.settle(0);
    expect(d.used(0).len).toBe(5);
    expect(new TextDecoder().decode(d.bytes(rx, 5))).toBe('typed');
  });
});
