/**
 * satp keeps all 16 ASID bits (Linux: "ASID allocator using 16 bits"). The
 * TLB does not tag entries with ASIDs: it is flushed on every satp write and
 * every sfence.vma (with or without an ASID), so switching between address
 * spaces never serves a stale translation.
 */
import { describe, it, expect } from 'vitest';
import { Asm, R, CSR } from './test-support/rv-asm.js';
import { rawHart } from './test-support/raw-hart.js';
import { writeGpa } from './memory.js';

const u64 = (v: bigint): Uint8Array => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); return b; };
const pointer = (pa: number): bigint => (BigInt(pa >>> 12) << 10n) | 1n; // V only: next level
const megapage = (pa: number): bigint => (BigInt(pa >>> 12) << 10n) | 0xcfn; // V R W X A D
const satp = (asid: bigint, root: number): bigint => (8n << 60n) | (asid << 44n) | BigInt(root >>> 12);

// Address space A maps VA 0..2 MiB to PA 0x8000_0000, B to PA 0x8020_0000.
const ROOT_A = 0x8001_0000, L1_A = 0x8001_1000, ROOT_B = 0x8001_2000, L1_B = 0x8001_3000;
const VA = 0x10_0000, VAL_A = 0xaaaa_0001n, VAL_B = 0xbbbb_0002n;

describe('satp ASIDs', () => {
  it('16 ASID bits read back; switching ASIDs and sfence.vma with an ASID never use a stale entry', () => {
    const a = new Asm()
      .li(R.t0, (1 << 17) | (1 << 11)).csrs(CSR.mstatus, R.t0) // MPRV, MPP = S: loads/stores translate
      .li(R.t2, VA)
      .li(R.t1, satp(1n, ROOT_A)).csrw(CSR.satp, R.t1).ld(R.a0, R.t2, 0)
      .li(R.t1, satp(0xffffn, ROOT_B)).csrw(CSR.satp, R.t1).csrr(R.a3, CSR.satp).ld(R.a1, R.t2, 0)
      .li(R.t1, satp(1n, ROOT_A)).csrw(CSR.satp, R.t1).ld(R.a2, R.t2, 0)
      // repoint A's megapage to B's memory through A itself, then flush ASID 1 only
      .li(R.t4, L1_A - 0x8000_0000).li(R.t5, megapage(0x8020_0000)).sd(R.t5, R.t4, 0)
      .li(R.t3, 1).sfenceVma(R.zero, R.t3).ld(R.a4, R.t2, 0)
      .wfi();
    const { vcpu, memory } = rawHart(a);
    writeGpa(memory, ROOT_A, u64(pointer(L1_A)));
    writeGpa(memory, L1_A, u64(megapage(0x8000_0000)));
    writeGpa(memory, ROOT_B, u64(pointer(L1_B)));
    writeGpa(memory, L1_B, u64(megapage(0x8020_0000)));
    writeGpa(memory, 0x8000_0000 + VA, u64(VAL_A));
    writeGpa(memory, 0x8020_0000 + VA, u64(VAL_B));
    expect(vcpu.run(1000)).toEqual({ kind: 'wfi' });
    expect(vcpu.reg(R.a3)).toBe(satp(0xffffn, ROOT_B));
    expect([R.a0, R.a1, R.a2, R.a4].map((r) => vcpu.reg(r))).toEqual([VAL_A, VAL_B, VAL_A, VAL_B]);
  });
});
