/**
 * Sstc: stimecmp raises STIP (a hardware signal, read-only in mip) while
 * menvcfg.STCE = 1; S-mode reaches stimecmp only with mcounteren.TM and
 * STCE (QEMU 7.2's rule); the timer wakes WFI and is taken as an interrupt.
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';

const S10 = 26;
const STCE = 1n << 63n, STIP = 0x20n, NEVER = (1n << 64n) - 1n;

/** M-mode: mtvec = a handler that records mcause in s10 and skips the
 *  instruction; then mret to S at `s_entry`. Tests append S code there. */
function program(): Asm {
  const a = new Asm()
    .la(R.t0, 'mtrap').csrw(CSR.mtvec, R.t0)
    .li(R.t0, 1 << 11).csrs(CSR.mstatus, R.t0) // MPP = S
    .la(R.t0, 's_entry').csrw(CSR.mepc, R.t0)
    .mret()
    .label('mtrap')
    .csrr(S10, CSR.mcause) // s10
    .csrr(R.t6, CSR.mepc).addi(R.t6, R.t6, 4).csrw(CSR.mepc, R.t6)
    .mret();
  return a;
}

describe('Sstc', () => {
  it('STIP follows mtime >= stimecmp while STCE = 1 and is not writable through mip then', () => {
    const a = new Asm()
      .li(R.t0, STCE).csrw(CSR.menvcfg, R.t0)
      .csrw(CSR.stimecmp, R.zero).csrr(R.a0, CSR.mip)
      .li(R.t1, STIP).csrc(CSR.mip, R.t1).csrr(R.a1, CSR.mip)
      .li(R.t2, -1).csrw(CSR.stimecmp, R.t2).csrr(R.a2, CSR.mip)
      .csrs(CSR.mip, R.t1).csrr(R.a3, CSR.mip)
      .csrw(CSR.menvcfg, R.zero) // STIP is the software bit again
      .csrs(CSR.mip, R.t1).csrr(R.a4, CSR.mip)
      .csrc(CSR.mip, R.t1).csrr(R.a5, CSR.mip)
      .csrw(CSR.menvcfg, R.t2).csrr(R.a6, CSR.menvcfg)
      .csrr(R.a7, CSR.stimecmp)
      .wfi();
    const { vcpu, clock } = rawHart(a);
    clock.now = 5n;
    expect(vcpu.csr(CSR.stimecmp)).toBe(NEVER); // nothing armed after reset
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect([R.a0, R.a1, R.a2, R.a3, R.a4, R.a5].map((r) => vcpu.reg(r))).toEqual([STIP, STIP, 0n, 0n, STIP, 0n]);
    expect(vcpu.reg(R.a6)).toBe(STCE | 1n); // menvcfg: FIOM and STCE only
    expect(vcpu.reg(R.a7)).toBe(NEVER);
  });

  it('S-mode may use stimecmp only with mcounteren.TM and menvcfg.STCE (time needs TM)', () => {
    const a = program().label('s_entry')
      .li(S10, 0).csrr(R.a0, CSR.stimecmp).addi(R.s2, S10, 0)
      .li(S10, 0).li(R.t0, 77).csrw(CSR.stimecmp, R.t0).addi(R.s3, S10, 0)
      .li(S10, 0).csrr(R.a2, CSR.time).addi(R.s4, S10, 0)
      .wfi().j('s_entry');
    const { vcpu } = rawHart(a);
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    const seen: Record<string, bigint[]> = {};
    for (const [stce, tm] of [[0n, 0n], [STCE, 0n], [0n, 2n], [STCE, 2n]]) {
      vcpu.setCsr(CSR.menvcfg, stce);
      vcpu.setCsr(CSR.mcounteren, tm);
      vcpu.pc = BigInt(a.addr('s_entry'));
      expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
      expect(vcpu.priv).toBe(1);
      seen[`stce=${stce ? 1 : 0} tm=${tm ? 1 : 0}`] = [vcpu.reg(R.s2), vcpu.reg(R.s3), vcpu.reg(R.s4)];
    }
    // mcause 2 = illegal instruction, 0 = no trap: [stimecmp read, stimecmp write, time read]
    expect(seen).toEqual({
      'stce=0 tm=0': [2n, 2n, 2n], 'stce=1 tm=0': [2n, 2n, 2n], 'stce=0 tm=1': [2n, 2n, 0n], 'stce=1 tm=1': [0n, 0n, 0n],
    });
    expect(vcpu.csr(CSR.stimecmp)).toBe(77n);
  });

  it('the S timer interrupt is taken once mtime reaches stimecmp, and wakes WFI', () => {
    const a = program().label('s_entry')
      .li(R.t0, 1000).csrw(CSR.stimecmp, R.t0)
      .label('idle').wfi().j('idle')
      .label('strap')
      .csrr(R.s3, CSR.scause).li(R.t0, -1).csrw(CSR.stimecmp, R.t0).csrr(R.s4, CSR.sip)
      .sret()
      .label('pending')
      .csrrci(R.zero, CSR.sstatus, 2) // SIE = 0: no trap, but WFI must not sleep
      .li(R.t0, 1500).csrw(CSR.stimecmp, R.t0)
      .wfi().csrr(R.s5, CSR.sip)
      .li(R.t0, -1).csrw(CSR.stimecmp, R.t0)
      .label('last').wfi();
    const { vcpu, clock } = rawHart(a);
    vcpu.setCsr(CSR.menvcfg, STCE);
    vcpu.setCsr(CSR.mcounteren, 2n);
    vcpu.setCsr(CSR.mideleg, STIP);
    vcpu.setCsr(CSR.mie, STIP);
    vcpu.setCsr(CSR.stvec, BigInt(a.addr('strap')));
    vcpu.setCsr(CSR.sstatus, 2n); // SIE
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' }); // time 0 < 1000: sleeps
    expect(vcpu.stimerDeadline).toBe(1000n);
    expect(vcpu.reg(R.s3)).toBe(0n);
    clock.now = 1000n;
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' }); // interrupt, handler disarms, back to sleep
    expect(vcpu.reg(R.s3)).toBe((1n << 63n) | 5n);
    expect(vcpu.reg(R.s4)).toBe(0n);
    expect(vcpu.stimerDeadline).toBe(NEVER);

    clock.now = 2000n;
    vcpu.pc = BigInt(a.addr('pending'));
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect(vcpu.pc).toBe(BigInt(a.addr('last')) + 4n); // the first wfi did not exit
    expect(vcpu.reg(R.s5)).toBe(STIP);

    vcpu.setCsr(CSR.menvcfg, 0n); // STCE off: stimecmp no longer drives STIP
    expect(vcpu.stimerDeadline).toBe(NEVER);
  });
});
