/**
 * A tiny RV64 assembler for engine unit tests that set up a raw hart without
 * an ELF: the few instructions those tests use, with forward labels.
 *
 *   const a = new Asm();
 *   a.li(R.t0, 1n << 63n).csrw(CSR.menvcfg, R.t0).label('end').wfi().j('end');
 *   writeGpa(memory, a.base, a.bytes());
 */
export const R = {
  zero: 0, ra: 1, sp: 2, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9, a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15,
  a6: 16, a7: 17, s2: 18, s3: 19, s4: 20, s5: 21, t3: 28, t4: 29, t5: 30, t6: 31,
} as const;

export const CSR = {
  sstatus: 0x100, sie: 0x104, stvec: 0x105, senvcfg: 0x10a, sepc: 0x141, scause: 0x142, sip: 0x144, stimecmp: 0x14d,
  satp: 0x180, mstatus: 0x300, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305, mcounteren: 0x306,
  menvcfg: 0x30a, mepc: 0x341, mcause: 0x342, mip: 0x344, tselect: 0x7a0, tdata1: 0x7a1, tdata2: 0x7a2,
  tdata3: 0x7a3, tinfo: 0x7a4, mcycle: 0xb00, minstret: 0xb02, cycle: 0xc00, time: 0xc01, instret: 0xc02,
} as const;

type Word = number | ((pc: number) => number);

const i12 = (v: number): number => ((v << 20) >> 20);

export class Asm {
  private readonly code: Word[] = [];
  private readonly labels = new Map<string, number>();

  constructor(readonly base = 0x8000_0000) {}

  get pc(): number {
    return this.base + this.code.length * 4;
  }

  label(name: string): this {
    this.labels.set(name, this.pc);
    return this;
  }

  addr(name: string): number {
    const a = this.labels.get(name);
    if (a === undefined) throw new Error(`undefined label ${name}`);
    return a;
  }

  private emit(w: Word): this {
    this.code.push(w);
    return this;
  }

  private itype(op: number, f3: number, rd: number, rs1: number, imm: number): this {
    return this.emit((((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0);
  }

  addi(rd: number, rs1: number, imm: number): this { return this.itype(0x13, 0, rd, rs1, imm); }
  addiw(rd: number, rs1: number, imm: number): this { return this.itype(0x1b, 0, rd, rs1, imm); }
  slli(rd: number, rs1: number, sh: number): this { return this.itype(0x13, 1, rd, rs1, sh & 63); }
  ld(rd: number, rs1: number, imm: number): this { return this.itype(0x03, 3, rd, rs1, imm); }
  sd(rs2: number, rs1: number, imm: number): this {
    return this.emit((((imm >> 5) & 0x7f) << 25 | (rs2 << 20) | (rs1 << 15) | (3 << 12) | ((imm & 0x1f) << 7) | 0x23) >>> 0);
  }
  lui(rd: number, imm20: number): this { return this.emit((((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0); }
  nop(): this { return this.addi(0, 0, 0); }

  /** Any 64-bit constant (the usual lui/addiw, then shift-and-add, sequence). */
  li(rd: number, value: bigint | number): this {
    const v = BigInt.asIntN(64, BigInt(value));
    if (v >= -2048n && v < 2048n) return this.addi(rd, R.zero, Number(v));
    if (v >= -(1n << 31n) && v < 1n << 31n) {
      const lo = i12(Number(v & 0xfffn));
      const hi = Number(BigInt.asIntN(32, (v - BigInt(lo)) >> 12n));
      this.lui(rd, hi);
      return lo === 0 ? this : this.addiw(rd, rd, lo);
    }
    const lo = BigInt(i12(Number(v & 0xfffn)));
    let hi = (v - lo) >> 12n;
    let shift = 12;
    while ((hi & 1n) === 0n) { hi >>= 1n; shift++; }
    this.li(rd, hi).slli(rd, rd, shift);
    return lo === 0n ? this : this.addi(rd, rd, Number(lo));
  }

  /** rd = address of `name` (auipc + addi, resolved at bytes()). */
  la(rd: number, name: string): this {
    const at = this.pc;
    const off = (): number => this.addr(name) - at;
    this.emit(() => (((((off() + 0x800) >> 12) & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0);
    return this.emit(() => (((off() & 0xfff) << 20) | (rd << 15) | (rd << 7) | 0x13) >>> 0);
  }

  jal(rd: number, name: string): this {
    const at = this.pc;
    return this.emit(() => {
      const o = this.addr(name) - at;
      return (((o >> 20) & 1) << 31 | ((o >> 1) & 0x3ff) << 21 | ((o >> 11) & 1) << 20 | ((o >> 12) & 0xff) << 12 | (rd << 7) | 0x6f) >>> 0;
    });
  }
  j(name: string): this { return this.jal(R.zero, name); }
  jalr(rd: number, rs1: number, imm: number): this { return this.itype(0x67, 0, rd, rs1, imm); }
  /** Any instruction word (encodings this assembler has no method for). */
  inst(word: number): this { return this.emit(word >>> 0); }

  bne(rs1: number, rs2: number, name: string): this {
    const at = this.pc;
    return this.emit(() => {
      const o = this.addr(name) - at;
      return (((o >> 12) & 1) << 31 | ((o >> 5) & 0x3f) << 25 | (rs2 << 20) | (rs1 << 15) | (1 << 12) |
        ((o >> 1) & 0xf) << 8 | ((o >> 11) & 1) << 7 | 0x63) >>> 0;
    });
  }

  // Zicsr: f3 1 rw, 2 rs, 3 rc; +4 for the immediate forms (rs1 field = uimm)
  csrrw(rd: number, csr: number, rs1: number): this { return this.itype(0x73, 1, rd, rs1, csr); }
  csrrs(rd: number, csr: number, rs1: number): this { return this.itype(0x73, 2, rd, rs1, csr); }
  csrrc(rd: number, csr: number, rs1: number): this { return this.itype(0x73, 3, rd, rs1, csr); }
  csrrwi(rd: number, csr: number, uimm: number): this { return this.itype(0x73, 5, rd, uimm & 31, csr); }
  csrrsi(rd: number, csr: number, uimm: number): this { return this.itype(0x73, 6, rd, uimm & 31, csr); }
  csrrci(rd: number, csr: number, uimm: number): this { return this.itype(0x73, 7, rd, uimm & 31, csr); }
  csrr(rd: number, csr: number): this { return this.csrrs(rd, csr, R.zero); }
  csrw(csr: number, rs1: number): this { return this.csrrw(R.zero, csr, rs1); }
  csrs(csr: number, rs1: number): this { return this.csrrs(R.zero, csr, rs1); }
  csrc(csr: number, rs1: number): this { return this.csrrc(R.zero, csr, rs1); }

  wfi(): this { return this.emit(0x1050_0073); }
  fenceI(): this { return this.emit(0x0000_100f); }
  mret(): this { return this.emit(0x3020_0073); }
  sret(): this { return this.emit(0x1020_0073); }
  ecall(): this { return this.emit(0x0000_0073); }
  sfenceVma(rs1 = 0, rs2 = 0): this { return this.emit(((0x09 << 25) | (rs2 << 20) | (rs1 << 15) | 0x73) >>> 0); }

  words(): Uint32Array {
    return Uint32Array.from(this.code, (w, i) => (typeof w === 'number' ? w : w(this.base + i * 4)));
  }

  bytes(): Uint8Array {
    const w = this.words();
    return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
  }
}
