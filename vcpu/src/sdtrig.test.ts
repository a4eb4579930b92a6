/**
 * Sdtrig CSRs as QEMU 7.2 has them (values read from qemu-system-riscv64
 * 7.2 with a probe guest): two triggers, tdata1 resets to an mcontrol (type
 * 2) with nothing enabled, tinfo = types 2 and 6, tselect ignores an index
 * past the last trigger, tdata1 writes of another type are ignored, tdata3
 * reads 0. M-mode only. The triggers never fire (docs/vcpu.md).
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';

const MC = 2n << 60n, MC6 = 6n << 60n;

describe('Sdtrig CSRs (QEMU 7.2 values)', () => {
  it('read, write and WARL rules', () => {
    const out = [R.a0, R.a1, R.a2, R.a3, R.a4, R.a5, R.a6, R.a7, R.s2, R.s3, R.s4, R.s5, R.t3, R.t4];
    let i = 0;
    const a = new Asm();
    const read = (csr: number) => a.csrr(out[i++]!, csr);
    const write = (csr: number, v: bigint) => a.li(R.t0, v).csrw(csr, R.t0);
    read(CSR.tselect); read(CSR.tdata1); read(CSR.tdata2); read(CSR.tdata3); read(CSR.tinfo);
    write(CSR.tselect, 1n); read(CSR.tselect);
    write(CSR.tselect, 2n); read(CSR.tselect); // no trigger 2: ignored
    write(CSR.tselect, 0n);
    // mcontrol: size 15 is not supported (dropped); dmode/match/chain... read 0
    write(CSR.tdata1, MC | 0x60007fn | (3n << 16n) | (3n << 21n) | (1n << 59n) | (0xffn << 7n)); read(CSR.tdata1);
    write(CSR.tdata1, MC | (1n << 21n) | (1n << 16n)); read(CSR.tdata1); // size 5 (8 bytes) kept
    write(CSR.tdata1, MC6 | 0xffffn | (5n << 16n)); read(CSR.tdata1);
    write(CSR.tdata1, 3n << 60n); read(CSR.tdata1); // type 3 is not implemented: ignored
    write(CSR.tdata2, 0x1234n); read(CSR.tdata2);
    write(CSR.tdata3, -1n); read(CSR.tdata3);
    write(CSR.tinfo, 0n); read(CSR.tinfo);
    a.wfi();
    const { vcpu } = rawHart(a);
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect(out.map((r) => vcpu.reg(r))).toEqual([
      0n, MC, 0n, 0n, 0x44n,
      1n, 1n,
      MC | 0x5fn, MC | 0x210000n, MC6 | 0x5005fn, MC6 | 0x5005fn,
      0x1234n, 0n, 0x44n,
    ]);
    vcpu.setCsr(CSR.tselect, 1n);
    expect([vcpu.csr(CSR.tdata1), vcpu.csr(CSR.tdata2)]).toEqual([MC, 0n]); // trigger 1 has its own state
  });

  it('S-mode access is an illegal instruction', () => {
    const a = new Asm()
      .la(R.t0, 'mtrap').csrw(CSR.mtvec, R.t0)
      .li(R.t0, 1 << 11).csrs(CSR.mstatus, R.t0)
      .la(R.t0, 's').csrw(CSR.mepc, R.t0).mret()
      .label('s').csrr(R.a0, CSR.tselect).wfi()
      .label('mtrap').csrr(R.a1, CSR.mcause).wfi();
    const { vcpu } = rawHart(a);
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect(vcpu.reg(R.a1)).toBe(2n);
  });
});
