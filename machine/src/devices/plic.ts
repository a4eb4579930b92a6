/**
 * SiFive PLIC (the board puts it at 0x0C00_0000), laid out as on QEMU virt: context 2h is hart
 * h's M-mode, 2h+1 its S-mode. Sources are level-triggered: a source that is
 * still high when its claim is completed becomes pending again.
 */
import { node, prop } from '../fdt/fdt-blob.js';
import { unitName, type DeviceContext, type DeviceKind, type FdtRefs, type InterruptController } from './device.js';

/** Sources 1..PLIC_NDEV (source 0 does not exist). */
export const PLIC_NDEV = 95;
const PRIORITY_MASK = 7;

const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x20_0000;
const CONTEXT_STRIDE = 0x1000;
const WORDS = Math.ceil((PLIC_NDEV + 1) / 32);

export class Plic implements InterruptController {
  readonly name = 'plic';
  private readonly contexts: number;
  private readonly priority = new Uint32Array(PLIC_NDEV + 1);
  private readonly level = new Uint8Array(PLIC_NDEV + 1);
  private readonly pending = new Uint8Array(PLIC_NDEV + 1);
  private readonly claimed = new Uint8Array(PLIC_NDEV + 1);
  private readonly enable: Uint32Array;
  private readonly threshold: Uint32Array;
  private readonly output: Uint8Array;

  constructor(private readonly ctx: Pick<DeviceContext, 'harts' | 'hartExternalIrq'>) {
    this.contexts = ctx.harts * 2;
    this.enable = new Uint32Array(this.contexts * WORDS);
    this.threshold = new Uint32Array(this.contexts);
    this.output = new Uint8Array(this.contexts);
  }

  /** Wire from a device: the level of source `src`. */
  setLevel(src: number, high: boolean): void {
    if (src < 1 || src > PLIC_NDEV) return;
    this.level[src] = high ? 1 : 0;
    if (!this.claimed[src]) this.pending[src] = high ? 1 : 0;
    this.update();
  }

  private enabled(c: number, src: number): boolean {
    return ((this.enable[c * WORDS + (src >>> 5)]! >>> (src & 31)) & 1) === 1;
  }

  /** Highest-priority pending enabled source above the threshold (0 = none). */
  private best(c: number): number {
    let id = 0;
    let prio = this.threshold[c]!;
    for (let s = 1; s <= PLIC_NDEV; s++) {
      if (this.pending[s] && this.priority[s]! > prio && this.enabled(c, s)) {
        id = s;
        prio = this.priority[s]!;
      }
    }
    return id;
  }

  private update(): void {
    for (let c = 0; c < this.contexts; c++) {
      const out = this.best(c) !== 0 ? 1 : 0;
      if (out === this.output[c]) continue;
      this.output[c] = out;
      this.ctx.hartExternalIrq(c >> 1, c & 1 ? 'S' : 'M', out === 1);
    }
  }

  read(offset: number): bigint {
    if (offset < PENDING_BASE) {
      const src = offset >>> 2;
      return BigInt(src <= PLIC_NDEV ? this.priority[src]! : 0);
    }
    if (offset < ENABLE_BASE) {
      const word = (offset - PENDING_BASE) >>> 2;
      let bits = 0;
      for (let b = 0; b < 32; b++) if (this.pending[word * 32 + b]) bits |= 1 << b;
      return BigInt(word < WORDS ? bits >>> 0 : 0);
    }
    if (offset < CONTEXT_BASE) {
      const c = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      return BigInt(c < this.contexts && word < WORDS ? this.enable[c * WORDS + word]! : 0);
    }
    const c = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (c >= this.contexts) return 0n;
    if (reg === 0) return BigInt(this.threshold[c]!);
    if (reg === 4) return BigInt(this.claim(c));
    return 0n;
  }

  private claim(c: number): number {
    const id = this.best(c);
    if (id !== 0) {
      this.pending[id] = 0;
      this.claimed[id] = 1;
      this.update();
    }
    return id;
  }

  write(offset: number, _size: number, value: bigint): void {
    const v = Number(value & 0xffff_ffffn);
    if (offset < PENDING_BASE) {
      const src = offset >>> 2;
      if (src >= 1 && src <= PLIC_NDEV) this.priority[src] = v & PRIORITY_MASK;
    } else if (offset < ENABLE_BASE) {
      return; // pending bits are read-only
    } else if (offset < CONTEXT_BASE) {
      const c = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      if (c >= this.contexts || word >= WORDS) return;
      this.enable[c * WORDS + word] = word === 0 ? v & ~1 : v; // source 0 does not exist
    } else {
      const c = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
      const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (c >= this.contexts) return;
      if (reg === 0) this.threshold[c] = v & PRIORITY_MASK;
      else if (reg === 4) this.complete(c, v);
    }
    this.update();
  }

  private complete(c: number, src: number): void {
    if (src < 1 || src > PLIC_NDEV || !this.enabled(c, src)) return;
    this.claimed[src] = 0;
    if (this.level[src]) this.pending[src] = 1;
  }
}

/** hart h's (M, S) external interrupt causes, as `interrupts-extended` pairs. */
const MEI = 11;
const SEI = 9;

export const plic: DeviceKind = {
  name: 'plic',
  postWrites: true,
  role: 'interrupt-controller',
  create: (ctx) => new Plic(ctx),
  fdt: (at, refs) => node(unitName('plic', at.base), [
    ['phandle', prop.u32(refs.phandle)],
    ['riscv,ndev', prop.u32(PLIC_NDEV)],
    ['reg', prop.u64(at.base, at.size)],
    ['interrupts-extended', prop.u32(...perHart(refs, MEI, SEI))],
    ['interrupt-controller', prop.empty()],
    ['compatible', prop.str('sifive,plic-1.0.0', 'riscv,plic0')],
    ['#address-cells', prop.u32(0)],
    ['#interrupt-cells', prop.u32(1)],
  ]),
};

/** `<intc(h) m intc(h) s>` for every hart: an `interrupts-extended` value. */
export function perHart(refs: Pick<FdtRefs, 'harts' | 'intc'>, mCause: number, sCause: number): number[] {
  return Array.from({ length: refs.harts }, (_, h) => [refs.intc(h), mCause, refs.intc(h), sCause]).flat();
}
