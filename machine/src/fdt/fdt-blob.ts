/**
 * Flattened device tree (DTB, version 17) encoder. A tree of FdtNode goes
 * in, the blob a guest finds through a1 comes out: header, an empty memory
 * reservation map, the struct block and the strings block (Devicetree
 * Specification v0.4, chapter 5).
 */
export type FdtValue = Uint8Array;

export interface FdtNode {
  name: string;
  props: Array<[string, FdtValue]>;
  children: FdtNode[];
}

export const node = (name: string, props: Array<[string, FdtValue]> = [], children: FdtNode[] = []): FdtNode =>
  ({ name, props, children });

/** Property value helpers (all big-endian, as the format requires). */
export const prop = {
  empty: (): FdtValue => new Uint8Array(0),
  u32: (...cells: number[]): FdtValue => {
    const out = new Uint8Array(cells.length * 4);
    const v = new DataView(out.buffer);
    cells.forEach((c, i) => v.setUint32(i * 4, c >>> 0));
    return out;
  },
  /** 64-bit numbers as (hi, lo) cell pairs: reg = <base size> with #cells = 2. */
  u64: (...values: number[]): FdtValue => prop.u32(...values.flatMap((x) => [Math.floor(x / 2 ** 32), x >>> 0])),
  str: (...strings: string[]): FdtValue => new TextEncoder().encode(strings.map((s) => `${s}\0`).join('')),
};

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const HEADER_SIZE = 40;
const RSVMAP_SIZE = 16; // one terminating (0, 0) entry

class Growable {
  private buf = new Uint8Array(4096);
  length = 0;
  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u32(x: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, x >>> 0);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  align4(): void {
    while (this.length % 4 !== 0) this.bytes(new Uint8Array(1));
  }
  take(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function encodeFdt(root: FdtNode, bootCpuId = 0): Uint8Array {
  const struct = new Growable();
  const strings = new Growable();
  const stringOffsets = new Map<string, number>();
  const nameOffset = (name: string): number => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.length;
      stringOffsets.set(name, off);
      strings.bytes(prop.str(name));
    }
    return off;
  };
  const emit = (n: FdtNode): void => {
    struct.u32(FDT_BEGIN_NODE);
    struct.bytes(prop.str(n.name));
    struct.align4();
    for (const [name, value] of n.props) {
      struct.u32(FDT_PROP);
      struct.u32(value.length);
      struct.u32(nameOffset(name));
      struct.bytes(value);
      struct.align4();
    }
    n.children.forEach(emit);
    struct.u32(FDT_END_NODE);
  };
  emit(root);
  struct.u32(FDT_END);

  const structBytes = struct.take();
  const stringBytes = strings.take();
  const offRsvmap = HEADER_SIZE; // 8-aligned
  const offStruct = offRsvmap + RSVMAP_SIZE;
  const offStrings = offStruct + structBytes.length;
  const total = offStrings + stringBytes.length;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  [FDT_MAGIC, total, offStruct, offStrings, offRsvmap, 17, 16, bootCpuId, stringBytes.length, structBytes.length]
    .forEach((x, i) => v.setUint32(i * 4, x));
  out.set(structBytes, offStruct);
  out.set(stringBytes, offStrings);
  return out;
}
