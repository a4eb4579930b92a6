/**
 * Seeded generator of straight-line RV64GC blocks for differential testing
 * against QEMU: integer ALU incl. M and W-forms, loads/stores (some
 * misaligned) into a scratch buffer, explicit compressed forms, AMOs and
 * LR/SC, F/D arithmetic with every rounding mode, conversions, moves,
 * compares, and fflags/frm/fcsr CSR ops. Operands lean on edge values
 * (rv-values.ts). x2 and x8 are never written: they point into the scratch
 * buffer (x2 = scratch+1024 for the c.*sp forms, x8 = scratch+2048).
 *
 * @example
 *   const prog = generateProgram(7, 200);
 *   writeFileSync('block.S', prog.source);   // link with harness.S
 */
import { Rng } from './rng.js';
import { floatOperandBits, hex, intOperand } from './rv-values.js';

export const SCRATCH_BYTES = 4096;
/** fixed sources a generated block links with (in test/diff/) */
export const HARNESS_SOURCES = ['harness.S', 'uart-print.S'];
const X_WRITABLE = Array.from({ length: 31 }, (_, i) => i + 1).filter((n) => n !== 2 && n !== 8);
const XC_WRITABLE = [9, 10, 11, 12, 13, 14, 15]; // compressed rd' without x8
const XC_ANY = [8, 9, 10, 11, 12, 13, 14, 15];
const ROUNDING = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn'] as const;

const x = (n: number): string => `x${n}`;
const f = (n: number): string => `f${n}`;

class BlockWriter {
  readonly lines: string[] = [];
  /** forward branch targets not placed yet: label → instructions still to skip */
  private readonly pending = new Map<string, number>();
  private labels = 0;
  constructor(readonly r: Rng) {}

  rd(): string { return this.r.chance(0.03) ? 'x0' : x(this.r.pick(X_WRITABLE)); }
  rs(): string { return x(this.r.int(32)); }
  fr(): string { return f(this.r.int(32)); }
  rm(): string { return this.r.pick(ROUNDING); }
  emit(line: string): void { this.lines.push(line); }

  /** after each generated instruction: place the labels whose skip distance ran out */
  step(): void {
    for (const [label, left] of this.pending) {
      if (left > 1) this.pending.set(label, left - 1);
      else { this.pending.delete(label); this.lines.push(`${label}:`); }
    }
  }
  /** at the end of the block: place every label still pending */
  flush(): void { for (const label of this.pending.keys()) this.lines.push(`${label}:`); this.pending.clear(); }

  /** forward control flow only (the block stays a DAG): branches, jal, jalr, c.j/c.beqz/c.bnez */
  branch(): void {
    const r = this.r;
    const label = `.Lf${this.labels++}`;
    this.pending.set(label, r.range(1, 3));
    const form = r.weighted([[6, 'b'], [1, 'jal'], [1, 'jalr'], [2, 'c']] as const);
    if (form === 'b') return this.emit(`${r.pick(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'])} ${this.rs()}, ${this.rs()}, ${label}`);
    if (form === 'jal') return this.emit(`jal ${this.rd()}, ${label}`);
    if (form === 'c') {
      const op = r.pick(['c.j', 'c.beqz', 'c.bnez']);
      return this.emit(op === 'c.j' ? `c.j ${label}` : `${op} ${x(r.range(8, 15))}, ${label}`);
    }
    const t = r.pick(X_WRITABLE);
    this.emit(`la ${x(t)}, ${label}`);
    this.emit(`jalr ${this.rd()}, 0(${x(t)})`);
  }

  /** base register and offset for a `size`-byte access inside the scratch buffer */
  address(size: number, alignedOnly = false): [string, number] {
    const [base, lo] = this.r.chance(0.7) ? ['x8', -2048] : ['x2', -1024];
    const aligned = alignedOnly || this.r.chance(0.85);
    let off = this.r.range(lo, 2047 - size);
    if (aligned) off -= ((off % size) + size) % size;
    return [base, off];
  }

  intAlu(): void {
    const r = this.r;
    const rop = r.pick(['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw',
      'srlw', 'sraw', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw']);
    if (r.chance(0.5)) return this.emit(`${rop} ${this.rd()}, ${this.rs()}, ${this.rs()}`);
    const shifts = { slli: 63, srli: 63, srai: 63, slliw: 31, srliw: 31, sraiw: 31 } as const;
    const iop = r.pick(['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw', 'slli', 'srli', 'srai', 'slliw', 'srliw', 'sraiw']);
    if (iop in shifts) {
      const max = shifts[iop as keyof typeof shifts];
      const sh = r.chance(0.5) ? r.pick([0, 1, 31, 32, 63].filter((s) => s <= max)) : r.range(0, max);
      return this.emit(`${iop} ${this.rd()}, ${this.rs()}, ${sh}`);
    }
    const imm = r.chance(0.4) ? r.pick([0, -1, 1, 2047, -2048]) : r.range(-2048, 2047);
    this.emit(`${iop} ${this.rd()}, ${this.rs()}, ${imm}`);
  }

  upper(): void {
    const imm = this.r.chance(0.3) ? this.r.pick([0, 0x80000, 0xfffff, 0x7ffff]) : this.r.range(0, 0xfffff);
    this.emit(`${this.r.pick(['lui', 'auipc'])} ${this.rd()}, ${hex(BigInt(imm))}`);
  }

  loadImmediate(): void { this.emit(`li ${this.rd()}, ${intOperand(this.r)}`); }

  loadFloat(): void {
    const t = x(this.r.pick(X_WRITABLE));
    this.emit(`li ${t}, ${hex(floatOperandBits(this.r))}`);
    this.emit(`fmv.d.x ${this.fr()}, ${t}`);
  }

  memory(): void {
    const r = this.r;
    const [op, size, fp] = r.pick([['lb', 1, false], ['lh', 2, false], ['lw', 4, false], ['ld', 8, false], ['lbu', 1, false],
      ['lhu', 2, false], ['lwu', 4, false], ['sb', 1, false], ['sh', 2, false], ['sw', 4, false], ['sd', 8, false],
      ['flw', 4, true], ['fld', 8, true], ['fsw', 4, true], ['fsd', 8, true]] as const);
    const [base, off] = this.address(size);
    const isStore = op.startsWith('s') || op.startsWith('fs');
    const reg = fp ? this.fr() : isStore ? this.rs() : this.rd();
    this.emit(`${op} ${reg}, ${off}(${base})`);
  }

  compressed(): void {
    const r = this.r;
    const w = (): string => x(r.pick(X_WRITABLE));
    const c = (): string => x(r.pick(XC_WRITABLE));
    const ca = (): string => x(r.pick(XC_ANY));
    const fc = (): string => f(r.range(8, 15));
    const nz = (lo: number, hi: number): number => { let v = 0; while (v === 0) v = r.range(lo, hi); return v; };
    const forms: (() => string)[] = [
      () => `c.li ${w()}, ${r.range(-32, 31)}`,
      () => `c.addi ${w()}, ${nz(-32, 31)}`,
      () => `c.addiw ${w()}, ${r.range(-32, 31)}`,
      () => `c.lui ${w()}, ${r.chance(0.5) ? r.range(1, 31) : r.range(0xfffe0, 0xfffff)}`,
      () => `c.slli ${w()}, ${r.range(1, 63)}`,
      () => `c.srli ${c()}, ${r.range(1, 63)}`,
      () => `c.srai ${c()}, ${r.range(1, 63)}`,
      () => `c.andi ${c()}, ${r.range(-32, 31)}`,
      () => `c.addi4spn ${c()}, x2, ${r.range(1, 255) * 4}`,
      () => `c.mv ${w()}, ${x(r.range(1, 31))}`,
      () => `c.add ${w()}, ${x(r.range(1, 31))}`,
      () => `c.${r.pick(['sub', 'xor', 'or', 'and', 'addw', 'subw'])} ${c()}, ${ca()}`,
      () => `c.ld ${c()}, ${r.range(0, 31) * 8}(x8)`,
      () => `c.lw ${c()}, ${r.range(0, 31) * 4}(x8)`,
      () => `c.sd ${ca()}, ${r.range(0, 31) * 8}(x8)`,
      () => `c.sw ${ca()}, ${r.range(0, 31) * 4}(x8)`,
      () => `c.ldsp ${w()}, ${r.range(0, 63) * 8}(x2)`,
      () => `c.lwsp ${w()}, ${r.range(0, 63) * 4}(x2)`,
      () => `c.sdsp ${x(r.int(32))}, ${r.range(0, 63) * 8}(x2)`,
      () => `c.swsp ${x(r.int(32))}, ${r.range(0, 63) * 4}(x2)`,
      () => `c.fld ${fc()}, ${r.range(0, 31) * 8}(x8)`,
      () => `c.fsd ${fc()}, ${r.range(0, 31) * 8}(x8)`,
      () => `c.fldsp ${this.fr()}, ${r.range(0, 63) * 8}(x2)`,
      () => `c.fsdsp ${this.fr()}, ${r.range(0, 63) * 8}(x2)`,
    ];
    this.emit(r.pick(forms)());
  }

  /**
   * AMOs and LR/SC on an address set up just before. Misaligned addresses go
   * to a lone LR only (cause 4 on both): QEMU 7.2 reports a misaligned AMO as
   * cause 4 where the spec says 6, and fails a misaligned SC without a
   * reservation instead of trapping; traps.S covers those cases on purpose.
   */
  atomic(): void {
    const r = this.r;
    const width = r.pick(['w', 'd']);
    const size = width === 'w' ? 4 : 8;
    const addr = r.pick(X_WRITABLE);
    let off = r.range(-2048, 2047 - size);
    const misaligned = off % size !== 0 && r.chance(0.1);
    if (!misaligned) off -= ((off % size) + size) % size;
    this.emit(`addi ${x(addr)}, x8, ${off}`);
    const order = r.pick(['', '.aq', '.rl', '.aqrl']);
    if (misaligned || r.chance(0.25)) {
      let rd = addr;
      while (rd === addr) rd = r.pick(X_WRITABLE);
      this.emit(`lr.${width}${order} ${x(rd)}, (${x(addr)})`);
      if (!misaligned && r.chance(0.9)) this.emit(`sc.${width}${order} ${this.rd()}, ${this.rs()}, (${x(addr)})`);
      return;
    }
    const op = r.pick(['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu']);
    this.emit(`${op}.${width}${order} ${this.rd()}, ${this.rs()}, (${x(addr)})`);
  }

  floatArith(): void {
    const r = this.r;
    const t = r.pick(['s', 'd']);
    const kind = r.weighted([[4, 'bin'], [1, 'sqrt'], [2, 'minmax'], [3, 'fma'], [2, 'cmp'], [1, 'class']] as const);
    const fd = this.fr(), a = this.fr(), b = this.fr();
    switch (kind) {
      case 'bin': return this.emit(`${r.pick(['fadd', 'fsub', 'fmul', 'fdiv'])}.${t} ${fd}, ${a}, ${b}, ${this.rm()}`);
      case 'sqrt': return this.emit(`fsqrt.${t} ${fd}, ${a}, ${this.rm()}`);
      case 'minmax': return this.emit(`${r.pick(['fmin', 'fmax', 'fsgnj', 'fsgnjn', 'fsgnjx'])}.${t} ${fd}, ${a}, ${b}`);
      case 'fma': return this.emit(`${r.pick(['fmadd', 'fmsub', 'fnmsub', 'fnmadd'])}.${t} ${fd}, ${a}, ${b}, ${this.fr()}, ${this.rm()}`);
      case 'cmp': return this.emit(`${r.pick(['feq', 'flt', 'fle'])}.${t} ${this.rd()}, ${a}, ${b}`);
      case 'class': return this.emit(`fclass.${t} ${this.rd()}, ${a}`);
    }
  }

  floatConvert(): void {
    const r = this.r;
    const t = r.pick(['s', 'd']);
    const i = r.pick(['w', 'wu', 'l', 'lu']);
    const kind = r.weighted([[4, 'toInt'], [3, 'fromInt'], [2, 'sd'], [2, 'move']] as const);
    switch (kind) {
      case 'toInt': return this.emit(`fcvt.${i}.${t} ${this.rd()}, ${this.fr()}, ${this.rm()}`);
      case 'fromInt': return this.emit(`fcvt.${t}.${i} ${this.fr()}, ${this.rs()}${t === 'd' && i.startsWith('w') ? '' : `, ${this.rm()}`}`);
      case 'sd': return this.emit(r.chance(0.5) ? `fcvt.s.d ${this.fr()}, ${this.fr()}, ${this.rm()}` : `fcvt.d.s ${this.fr()}, ${this.fr()}`);
      case 'move': return this.emit(r.pick([`fmv.x.w ${this.rd()}, ${this.fr()}`, `fmv.w.x ${this.fr()}, ${this.rs()}`,
        `fmv.x.d ${this.rd()}, ${this.fr()}`, `fmv.d.x ${this.fr()}, ${this.rs()}`]));
    }
  }

  csr(): void {
    const r = this.r;
    const name = r.pick(['fflags', 'frm', 'fcsr']);
    const form = r.weighted([[3, 'read'], [3, 'imm'], [1, 'reg']] as const);
    if (form === 'read') return this.emit(`csrr ${this.rd()}, ${name}`);
    if (form === 'imm') {
      // frm values 5..7 are reserved: a dyn-rounding op then traps (rarely wanted)
      const v = name === 'frm' && r.chance(0.9) ? r.range(0, 4) : r.range(0, 31);
      return this.emit(`${r.pick(['csrrwi', 'csrrsi', 'csrrci'])} ${this.rd()}, ${name}, ${v}`);
    }
    this.emit(`${r.pick(['csrrw', 'csrrs', 'csrrc'])} ${this.rd()}, ${name}, ${this.rs()}`);
  }
}

type Gen = keyof Pick<BlockWriter, 'intAlu' | 'upper' | 'loadImmediate' | 'loadFloat' | 'memory' | 'compressed' |
  'atomic' | 'floatArith' | 'floatConvert' | 'csr' | 'branch'>;
const MIX: readonly (readonly [number, Gen])[] = [
  [22, 'intAlu'], [3, 'upper'], [8, 'loadImmediate'], [8, 'loadFloat'], [10, 'memory'], [10, 'compressed'],
  [6, 'atomic'], [16, 'floatArith'], [12, 'floatConvert'], [5, 'csr'], [5, 'branch'],
];

/** first instruction of a page-straddling block, forced to 4 bytes */
const STRADDLER = 'sub x1, x1, x3';

export interface GeneratedProgram {
  seed: number;
  /** the random block, one instruction (or li pseudo) per line */
  block: string[];
  /** full assembly source to link with harness.S */
  source: string;
}

export function generateProgram(seed: number, count: number): GeneratedProgram {
  const r = new Rng(seed);
  const w = new BlockWriter(r);
  while (w.lines.length < count) { w[r.weighted(MIX)](); w.step(); }
  w.flush();
  // odd seeds start the block 2 bytes before a page boundary with a 4-byte
  // instruction, so its fetch straddles two pages
  const straddle = seed % 2 === 1;
  const block = straddle ? [STRADDLER, ...w.lines] : w.lines;
  const xInit = Array.from({ length: 31 }, (_, i) => i + 1).map((n) =>
    n === 2 ? 'scratch + 1024' : n === 8 ? 'scratch + 2048' : intOperand(r));
  const fInit = Array.from({ length: 32 }, () => hex(floatOperandBits(r)));
  const fcsr = r.chance(0.5) ? 0 : r.range(0, 4) << 5 | r.range(0, 31);
  const scratch = Array.from({ length: SCRATCH_BYTES / 8 }, () => hex(r.chance(0.3) ? floatOperandBits(r) : r.u64()));
  const source = [
    `/* generated by test/diff/rvgen.ts: seed ${seed}, ${count} instructions */`,
    '  .text', '  .globl block_entry', 'block_entry:',
    '  la x31, init_f',
    ...Array.from({ length: 32 }, (_, n) => `  fld f${n}, ${8 * n}(x31)`),
    '  la x31, init_fcsr', '  ld x31, 0(x31)', '  csrw fcsr, x31',
    '  la x31, init_x',
    ...Array.from({ length: 31 }, (_, i) => `  ld x${i + 1}, ${8 * i}(x31)`),
    ...(straddle ? ['  j .Lblock', '  .balign 4096', '  .skip 4094', '.Lblock:'] : []),
    '/* block */',
    ...block.map((l) => (l === STRADDLER ? `  .option push\n  .option norvc\n  ${l}\n  .option pop` : `  ${l}`)),
    '/* end of block */',
    '  csrrw x31, mscratch, x31', '  j block_done',
    '  .data', '  .balign 8',
    'init_x:', ...xInit.map((v) => `  .dword ${v}`),
    'init_f:', ...fInit.map((v) => `  .dword ${v}`),
    `init_fcsr: .dword ${fcsr}`,
    '  .balign 4096', '  .globl scratch', 'scratch:', ...scratch.map((v) => `  .dword ${v}`),
    '',
  ].join('\n');
  return { seed, block, source };
}
