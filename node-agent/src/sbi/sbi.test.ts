// The built-in SBI's dispatcher and every extension against a fake host.
import { describe, expect, it } from 'vitest';
import { builtinSbi, SbiDispatcher, SbiHostError, type SbiExtension } from './index.js';
import {
  EID, HSM_STARTED, HSM_STOPPED, SBI_ERR_ALREADY_AVAILABLE, SBI_ERR_FAILED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED, SBI_IMPL_ID, SBI_SPEC_VERSION, MASK_BASE_ALL, type SbiOutcome,
} from './sbi-abi.js';
import type { RemoteFence, SbiHost } from './sbi-host.js';
import { decodeHartMask, hartsOf, maskOf } from './hart-mask.js';

const RAM = 0x8000_0000;

class FakeHost implements SbiHost {
  readonly hartCount = 4;
  readonly ramBase = RAM;
  readonly ramBytes = 1 << 20;
  readonly log: string[] = [];
  ram = new Uint8Array(1 << 20);
  input: number[] = [];
  out: number[] = [];
  status = [HSM_STARTED, HSM_STOPPED, HSM_STOPPED, HSM_STARTED];
  /** Legacy pointers: va -> bytes (identity for RAM). */
  setTimer(t: bigint): void { this.log.push(`timer ${t}`); }
  clearIpi(): void { this.log.push('clear_ipi'); }
  readPhys(gpa: number, n: number): Uint8Array { return this.ram.slice(gpa - RAM, gpa - RAM + n); }
  writePhys(gpa: number, b: Uint8Array): void { this.ram.set(b, gpa - RAM); }
  readVirt(va: bigint, n: number): Uint8Array | undefined {
    return va >= BigInt(RAM) && va < BigInt(RAM + this.ramBytes) ? this.readPhys(Number(va), n) : undefined;
  }
  sendIpi(h: readonly number[]): void { this.log.push(`ipi ${h.join(',')}`); }
  remoteFence(h: readonly number[], f: RemoteFence): void { this.log.push(`${f.kind} ${h.join(',')} ${f.start} ${f.size} ${f.asid}`); }
  hartStart(h: number, a: bigint, o: bigint): number {
    this.log.push(`start ${h} 0x${a.toString(16)} ${o}`);
    if (this.status[h] !== HSM_STOPPED) return SBI_ERR_ALREADY_AVAILABLE;
    this.status[h] = 2;
    return 0;
  }
  hartStatus(h: number): number { return this.status[h]!; }
  stopSelf(): void { this.log.push('stop'); }
  systemReset(t: number, r: number): void { this.log.push(`reset ${t} ${r}`); }
  consoleWrite(b: Uint8Array): number { this.out.push(...b); return b.length; }
  consoleRead(max: number): Uint8Array { return Uint8Array.from(this.input.splice(0, max)); }
}

const sbi = builtinSbi();
function call(host: SbiHost, ext: number, fid: number, ...a: (bigint | number)[]): SbiOutcome {
  const args = [0, 1, 2, 3, 4, 5].map((i) => BigInt.asUintN(64, BigInt(a[i] ?? 0)));
  return sbi.handle(1, { ext, fid, args }, host);
}
const r = (error: number, value = 0n): SbiOutcome => ({ kind: 'ret', error, value });

describe('dispatcher', () => {
  it('answers unknown extensions and functions with NOT_SUPPORTED', () => {
    const h = new FakeHost();
    expect(call(h, 0x1234567, 0)).toEqual(r(SBI_ERR_NOT_SUPPORTED));
    expect(call(h, EID.TIME, 1)).toEqual(r(SBI_ERR_NOT_SUPPORTED));
    expect(call(h, EID.BASE, 7)).toEqual(r(SBI_ERR_NOT_SUPPORTED));
    expect(call(h, 0x09, 0)).toEqual(r(SBI_ERR_NOT_SUPPORTED)); // legacy range ends at 8
  });

  it('an extension is one registration; a duplicate id is refused', () => {
    const echo: SbiExtension = { name: 'echo', eids: [0x0a000000], call: ({ args }) => r(0, args[0]!) };
    const d = new SbiDispatcher().register(echo);
    expect(d.handle(0, { ext: 0x0a000000, fid: 0, args: [7n] }, new FakeHost())).toEqual(r(0, 7n));
    expect(d.probe(0x0a000000)).toBe(1n);
    expect(() => d.register(echo)).toThrow(/twice/);
  });

  it('a host failure is SBI_ERR_FAILED', () => {
    const h = new FakeHost();
    h.sendIpi = () => { throw new SbiHostError('no forwarder'); };
    expect(call(h, EID.IPI, 0, 1, 0)).toEqual(r(SBI_ERR_FAILED));
  });

  it('serves every extension the issue lists', () => {
    expect(sbi.eids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 0x10, EID.HSM, EID.IPI, EID.DBCN, EID.RFENCE, EID.SRST, EID.TIME].sort((a, b) => a - b));
  });
});

describe('hart masks', () => {
  it('decodes mask + base, all ones = every hart, invalid ids', () => {
    expect(decodeHartMask(0b101n, 0n, 4)).toEqual([0, 2]);
    expect(decodeHartMask(0b11n, 2n, 4)).toEqual([2, 3]);
    expect(decodeHartMask(0b1n, 4n, 4)).toBeUndefined();
    expect(decodeHartMask(0n, MASK_BASE_ALL, 3)).toEqual([0, 1, 2]);
    expect(hartsOf(maskOf([0, 5, 63]))).toEqual([0, 5, 63]);
  });
});

describe('BASE', () => {
  it('versions, ids and probe', () => {
    const h = new FakeHost();
    expect(call(h, EID.BASE, 0)).toEqual(r(0, BigInt(SBI_SPEC_VERSION)));
    expect(SBI_SPEC_VERSION).toBe(0x0200_0000);
    expect(call(h, EID.BASE, 1)).toEqual(r(0, BigInt(SBI_IMPL_ID)));
    expect(call(h, EID.BASE, 2)).toEqual(r(0, 1n));
    for (const eid of [EID.BASE, EID.TIME, EID.IPI, EID.RFENCE, EID.HSM, EID.SRST, EID.DBCN, 0x01, 0x08]) {
      expect(call(h, EID.BASE, 3, eid)).toEqual(r(0, 1n));
    }
    expect(call(h, EID.BASE, 3, 0x504d55)).toEqual(r(0, 0n)); // PMU: absent
    for (const fid of [4, 5, 6]) expect(call(h, EID.BASE, fid)).toEqual(r(0, 0n));
  });
});

describe('TIME, IPI, RFENCE', () => {
  it('set_timer arms the caller\'s timer', () => {
    const h = new FakeHost();
    expect(call(h, EID.TIME, 0, 12345)).toEqual(r(0));
    expect(h.log).toEqual(['timer 12345']);
  });

  it('send_ipi raises SSIP on the masked harts; bad harts are INVALID_PARAM', () => {
    const h = new FakeHost();
    expect(call(h, EID.IPI, 0, 0b1010, 0)).toEqual(r(0));
    expect(call(h, EID.IPI, 0, 0b1, 3)).toEqual(r(0));
    expect(call(h, EID.IPI, 0, 0, -1)).toEqual(r(0));
    expect(call(h, EID.IPI, 0, 0b10, 3)).toEqual(r(SBI_ERR_INVALID_PARAM));
    expect(call(h, EID.IPI, 0, 0, 0)).toEqual(r(0)); // empty mask: nothing to do
    expect(h.log).toEqual(['ipi 1,3', 'ipi 3', 'ipi 0,1,2,3']);
  });

  it('remote fences carry kind, range and asid; hfences are not supported', () => {
    const h = new FakeHost();
    expect(call(h, EID.RFENCE, 0, 0b11, 0)).toEqual(r(0));
    expect(call(h, EID.RFENCE, 1, 0b100, 0, 0x1000, 0x2000)).toEqual(r(0));
    expect(call(h, EID.RFENCE, 2, 0b1, 1, 0, -1, 7)).toEqual(r(0));
    expect(call(h, EID.RFENCE, 1, 0b1, 9, 0, 0)).toEqual(r(SBI_ERR_INVALID_PARAM));
    for (const fid of [3, 4, 5, 6]) expect(call(h, EID.RFENCE, fid, 1, 0)).toEqual(r(SBI_ERR_NOT_SUPPORTED));
    expect(h.log).toEqual(['fence.i 0,1 0 0 0', 'sfence.vma 2 4096 8192 0', `sfence.vma.asid 1 0 ${2n ** 64n - 1n} 7`]);
  });
});

describe('HSM', () => {
  it('hart_start: stopped hart, address check, already started, bad id', () => {
    const h = new FakeHost();
    expect(call(h, EID.HSM, 0, 1, RAM + 0x1000, 42)).toEqual(r(0));
    expect(call(h, EID.HSM, 2, 1)).toEqual(r(0, 2n)); // start pending
    expect(call(h, EID.HSM, 0, 0, RAM, 0)).toEqual(r(SBI_ERR_ALREADY_AVAILABLE));
    expect(call(h, EID.HSM, 0, 2, 0x1000, 0)).toEqual(r(SBI_ERR_INVALID_ADDRESS));
    expect(call(h, EID.HSM, 0, 9, RAM, 0)).toEqual(r(SBI_ERR_INVALID_PARAM));
    expect(call(h, EID.HSM, 2, 9)).toEqual(r(SBI_ERR_INVALID_PARAM));
    expect(call(h, EID.HSM, 2, 2)).toEqual(r(0, BigInt(HSM_STOPPED)));
    expect(h.log).toEqual([`start 1 0x80001000 42`, 'start 0 0x80000000 0']);
  });

  it('hart_stop stops the caller; suspend types', () => {
    const h = new FakeHost();
    expect(call(h, EID.HSM, 1)).toEqual({ kind: 'stop' });
    expect(h.log).toEqual(['stop']);
    expect(call(h, EID.HSM, 3, 0)).toEqual({ kind: 'suspend' });
    expect(call(h, EID.HSM, 3, 0x8000_0000, RAM + 8, 5)).toEqual({ kind: 'suspend-resume', addr: BigInt(RAM + 8), opaque: 5n });
    expect(call(h, EID.HSM, 3, 0x8000_0000, 0x10, 5)).toEqual(r(SBI_ERR_INVALID_ADDRESS));
    expect(call(h, EID.HSM, 3, 1)).toEqual(r(SBI_ERR_INVALID_PARAM));
    expect(call(h, EID.HSM, 3, 0x1000_0000)).toEqual(r(SBI_ERR_NOT_SUPPORTED));
  });
});

describe('SRST', () => {
  it('shutdown and reboots end the VM; bad types and reasons are refused', () => {
    const h = new FakeHost();
    expect(call(h, EID.SRST, 0, 0, 0)).toEqual({ kind: 'stop' });
    expect(call(h, EID.SRST, 0, 1, 1)).toEqual({ kind: 'stop' });
    expect(call(h, EID.SRST, 0, 2, 0)).toEqual({ kind: 'stop' });
    expect(call(h, EID.SRST, 0, 3, 0)).toEqual(r(SBI_ERR_INVALID_PARAM));
    expect(call(h, EID.SRST, 0, 0xf000_0000, 0)).toEqual(r(SBI_ERR_NOT_SUPPORTED));
    expect(call(h, EID.SRST, 0, 0, 2)).toEqual(r(SBI_ERR_INVALID_PARAM));
    expect(h.log).toEqual(['reset 0 0', 'reset 1 1', 'reset 2 0']);
  });
});

describe('DBCN', () => {
  it('console_write reads guest-physical memory; console_read writes it; write_byte', () => {
    const h = new FakeHost();
    h.ram.set(new TextEncoder().encode('hello'), 0x100);
    expect(call(h, EID.DBCN, 0, 5, RAM + 0x100, 0)).toEqual(r(0, 5n));
    expect(call(h, EID.DBCN, 2, 0x21)).toEqual(r(0));
    expect(String.fromCharCode(...h.out)).toBe('hello!');
    expect(call(h, EID.DBCN, 0, 5, 0x100, 0)).toEqual(r(SBI_ERR_INVALID_PARAM)); // not RAM
    expect(call(h, EID.DBCN, 0, 5, RAM, 1)).toEqual(r(SBI_ERR_INVALID_PARAM)); // base_hi on RV64
    expect(call(h, EID.DBCN, 0, 0, 0, 0)).toEqual(r(0, 0n));
    h.input.push(0x61, 0x62, 0x63);
    expect(call(h, EID.DBCN, 1, 2, RAM + 0x200, 0)).toEqual(r(0, 2n));
    expect(Array.from(h.ram.subarray(0x200, 0x203))).toEqual([0x61, 0x62, 0]);
    expect(call(h, EID.DBCN, 1, 8, RAM + 0x200, 0)).toEqual(r(0, 1n));
    expect(call(h, EID.DBCN, 1, 8, RAM + 0x200, 0)).toEqual(r(0, 0n));
  });
});

describe('legacy v0.1', () => {
  const legacy = (value: bigint): SbiOutcome => ({ kind: 'legacy', value });
  it('set_timer, putchar, getchar, clear_ipi, shutdown', () => {
    const h = new FakeHost();
    expect(call(h, 0x00, 0, 99)).toEqual(legacy(0n));
    expect(call(h, 0x01, 0, 0x41)).toEqual(legacy(0n));
    expect(String.fromCharCode(...h.out)).toBe('A');
    expect(call(h, 0x02, 0)).toEqual(legacy(2n ** 64n - 1n)); // no input: -1
    h.input.push(0x7a);
    expect(call(h, 0x02, 0)).toEqual(legacy(0x7an));
    expect(call(h, 0x03, 0)).toEqual(legacy(0n));
    expect(call(h, 0x08, 0)).toEqual({ kind: 'stop' });
    expect(h.log).toEqual(['timer 99', 'clear_ipi', 'reset 0 0']);
  });

  it('send_ipi and fences take a pointer to the mask (NULL = all harts)', () => {
    const h = new FakeHost();
    new DataView(h.ram.buffer).setBigUint64(0x300, 0b1001n | (1n << 40n), true); // hart 40 does not exist: ignored
    expect(call(h, 0x04, 0, RAM + 0x300)).toEqual(legacy(0n));
    expect(call(h, 0x04, 0, 0)).toEqual(legacy(0n));
    expect(call(h, 0x05, 0, RAM + 0x300)).toEqual(legacy(0n));
    expect(call(h, 0x06, 0, RAM + 0x300, 0x1000, 0x1000)).toEqual(legacy(0n));
    expect(call(h, 0x07, 0, RAM + 0x300, 0, 0x1000, 3)).toEqual(legacy(0n));
    expect(call(h, 0x04, 0, 0x10)).toEqual(legacy(BigInt.asUintN(64, BigInt(SBI_ERR_INVALID_ADDRESS))));
    expect(h.log).toEqual(['ipi 0,3', 'ipi 0,1,2,3', 'fence.i 0,3 0 0 0', 'sfence.vma 0,3 4096 4096 0', 'sfence.vma.asid 0,3 0 4096 3']);
  });
});
