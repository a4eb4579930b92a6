/** A minimal wasm binary writer: LEB128 bytes, structured control with label
 *  tracking (so branch depths are computed, not counted by hand), sections. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const VOID = 0x40;

export const Op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, brTable: 0x0e, call: 0x10, returnCallIndirect: 0x13, drop: 0x1a,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, i32Load: 0x28, i64Load: 0x29, i32Load8U: 0x2d, i32Store: 0x36, i64Store: 0x37,
  i32Const: 0x41, i64Const: 0x42, i32Eqz: 0x45, i32Eq: 0x46, i32LtU: 0x49, i32LeU: 0x4d, i64Eqz: 0x50, i64Eq: 0x51, i64Ne: 0x52, i64LtS: 0x53,
  i64LtU: 0x54, i64GtU: 0x56, i64GeS: 0x59, i64GeU: 0x5a, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32DivS: 0x6d, i32DivU: 0x6e,
  i32RemS: 0x6f, i32RemU: 0x70, i32And: 0x71, i32Shl: 0x74, i32ShrS: 0x75, i32ShrU: 0x76, i64Add: 0x7c, i64Sub: 0x7d,
  i64Mul: 0x7e, i64DivS: 0x7f, i64DivU: 0x80, i64RemS: 0x81, i64RemU: 0x82, i64And: 0x83, i64Or: 0x84, i64Xor: 0x85,
  i64Shl: 0x86, i64ShrS: 0x87, i64ShrU: 0x88, i32WrapI64: 0xa7, i64ExtendI32S: 0xac, i64ExtendI32U: 0xad,
} as const;

/** Bytes in a growable Uint8Array: a page's body is tens of KB and is
 *  written on the hart's thread between slices, so no number[] pushes. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;
  /** The bytes written so far (a view, valid until the next write). */
  get bytes(): Uint8Array { return this.buf.subarray(0, this.length); }
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  private push(b: number): void {
    if (this.length === this.buf.length) this.room(1);
    this.buf[this.length++] = b;
  }
  byte(...b: number[]): this { for (let i = 0; i < b.length; i++) this.push(b[i]!); return this; }
  u32(v: number): this {
    do { let b = v & 0x7f; v >>>= 7; if (v !== 0) b |= 0x80; this.push(b); } while (v !== 0);
    return this;
  }
  /** Signed LEB128 of an int32 (plain number math: translation is on the hot path of a slice). */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f; v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.push(done ? b : b | 0x80);
      if (done) return this;
    }
  }
  s64(v: bigint): this {
    if (v >= -0x8000_0000n && v <= 0x7fff_ffffn) return this.s32(Number(v)); // same bytes, no BigInt steps
    for (;;) {
      const b = Number(v & 0x7fn); v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.push(done ? b : b | 0x80);
      if (done) return this;
    }
  }
  name(s: string): this { const b = Buffer.from(s, 'utf8'); this.u32(b.length); return this.append(b); }
  vec(parts: ArrayLike<number>[]): this { this.u32(parts.length); for (const p of parts) this.append(p); return this; }
  append(b: ArrayLike<number>): this {
    this.room(b.length);
    if (b instanceof Uint8Array) this.buf.set(b, this.length);
    else for (let i = 0; i < b.length; i++) this.buf[this.length + i] = b[i]!;
    this.length += b.length;
    return this;
  }
}

/** Function body writer: keeps a stack of open labels for br depths. */
export class CodeWriter extends ByteWriter {
  private labels: unknown[] = [];
  open(kind: number, label: unknown, type: number = VOID): this { this.labels.push(label); return this.byte(kind, type); }
  else_(): this { return this.byte(Op.else); }
  end(): this { this.labels.pop(); return this.byte(Op.end); }
  depth(label: unknown): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error('jit: branch to a label that is not open');
    return this.labels.length - 1 - i;
  }
  br(label: unknown): this { return this.byte(Op.br).u32(this.depth(label)); }
  get(l: number): this { return this.byte(Op.localGet).u32(l); }
  set(l: number): this { return this.byte(Op.localSet).u32(l); }
  i32(v: number): this { return this.byte(Op.i32Const).s32(v); }
  i64(v: bigint | number): this {
    this.byte(Op.i64Const);
    return typeof v === 'number' && (v | 0) === v ? this.s32(v) : this.s64(BigInt.asIntN(64, BigInt(v)));
  }
  /** A memory access with alignment hint `align` (log2) and constant offset. */
  mem(op: number, align: number, offset: number): this { return this.byte(op).u32(align).u32(offset); }
}

function section(out: ByteWriter, id: number, body: Uint8Array): void {
  out.byte(id).u32(body.length).append(body);
}

export interface ModuleSpec {
  types: { params: number[]; results: number[] }[];
  imports: ({ module: string; name: string; func: number } | { module: string; name: string; sharedMemoryMaxPages: number }
    | { module: string; name: string; funcTableMin: number })[];
  func: { type: number; locals: [number, number][]; body: Uint8Array; exportName: string };
}

/** One function, its imports and one export. */
export function writeModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const t = new ByteWriter().vec(spec.types.map((ty) =>
    new ByteWriter().byte(0x60).vec(ty.params.map((p) => [p])).vec(ty.results.map((r) => [r])).bytes));
  const imp = new ByteWriter().vec(spec.imports.map((im) => {
    const w = new ByteWriter().name(im.module).name(im.name);
    if ('func' in im) w.byte(0x00).u32(im.func);
    else if ('funcTableMin' in im) w.byte(0x01, 0x70, 0x00).u32(im.funcTableMin); // funcref table, no max
    else w.byte(0x02, 0x03).u32(0).u32(im.sharedMemoryMaxPages); // memory, shared with a max
    return w.bytes;
  }));
  const funcImports = spec.imports.filter((im) => 'func' in im).length;
  const fn = new ByteWriter().vec([new ByteWriter().u32(spec.func.type).bytes]);
  const exp = new ByteWriter().vec([new ByteWriter().name(spec.func.exportName).byte(0x00).u32(funcImports).bytes]);
  const body = new ByteWriter().vec(spec.func.locals.map(([n, ty]) => new ByteWriter().u32(n).byte(ty).bytes));
  body.append(spec.func.body).byte(Op.end);
  const code = new ByteWriter().u32(1).u32(body.bytes.length).append(body.bytes);
  const out = new ByteWriter().byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  section(out, 1, t.bytes); section(out, 2, imp.bytes); section(out, 3, fn.bytes); section(out, 7, exp.bytes); section(out, 10, code.bytes);
  return new Uint8Array(out.bytes);
}
