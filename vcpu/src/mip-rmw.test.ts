/**
 * The mip rule (priv spec, "Machine Interrupt Registers"): a read of mip/sip
 * ORs hardware signals (the PLIC's SEIP, host-driven pins, timers) into the
 * software-writable bits, but CSRRS/CSRRC/CSRRW modify only the software-
 * writable bits, so no signal latches into them. guest/tests/mip.c checks the
 * same on QEMU and through the real PLIC (test/diff/mip.test.ts).
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';

const SSIP = 1 << 1, SEIP = 1 << 9;

describe('mip/sip read-modify-write uses only the software-writable bits', () => {
  it('an external SEIP seen by csrrs/csrrc/csrrw/csrrci does not latch', () => {
    const a = new Asm()
      .li(R.t0, SSIP).li(R.t1, 0)
      .csrrs(R.a0, CSR.mip, R.t0) // reads SEIP from the pin; sets SSIP
      .csrrc(R.a1, CSR.mip, R.t1) // a write of the same value
      .csrrci(R.a2, CSR.mip, 0) // no write (uimm 0)
      .csrrw(R.a3, CSR.mip, R.t0) // writes SSIP only: software SEIP stays 0
      .csrrci(R.zero, CSR.mip, SSIP)
      .wfi() // mie = 0: exits to the host, which lowers the pin
      .csrr(R.a4, CSR.mip)
      .li(R.t2, SEIP).csrs(CSR.mip, R.t2).csrr(R.a5, CSR.mip) // M-mode may set software SEIP
      .csrc(CSR.mip, R.t2).csrr(R.a6, CSR.mip)
      .wfi();
    const { vcpu } = rawHart(a);
    vcpu.raiseIrq(SEIP);
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect([R.a0, R.a1, R.a2, R.a3].map((r) => vcpu.reg(r))).toEqual([0x200n, 0x202n, 0x202n, 0x202n]);
    vcpu.lowerIrq(SEIP);
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect([R.a4, R.a5, R.a6].map((r) => vcpu.reg(r))).toEqual([0n, 0x200n, 0n]);
  });

  it('a host-driven SSIP pin seen through sip does not latch either', () => {
    const a = new Asm()
      .li(R.t2, 0x222).csrw(CSR.mideleg, R.t2).li(R.t1, 0)
      .csrrs(R.s2, CSR.sip, R.t1).csrrc(R.s3, CSR.sip, R.t1)
      .wfi()
      .csrr(R.s4, CSR.sip).csrr(R.s5, CSR.mip)
      .wfi();
    const { vcpu } = rawHart(a);
    vcpu.raiseIrq(SSIP);
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect([vcpu.reg(R.s2), vcpu.reg(R.s3)]).toEqual([0x2n, 0x2n]);
    vcpu.lowerIrq(SSIP);
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect([vcpu.reg(R.s4), vcpu.reg(R.s5)]).toEqual([0n, 0n]);
  });
});
