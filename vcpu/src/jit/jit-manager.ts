/**
 * Per-hart translator driver: when run() reports a hot decode page (the
 * internal EXIT_JIT), find the page's reachable instructions from the slots
 * the interpreter has decoded, compile them (page-translator.ts), put the
 * function in the table the core calls through, and mark the entry slots.
 */
import { I32, I64, writeModule } from './wasm-writer.js';
import { translatePage } from './page-translator.js';
import { OP_FIRST, OP_JIT, OP_JAL, OP_J, OP_JR, isBranch, readSlot, translatable, type Slot } from './ops.js';
import {
  H_DC_DIR, H_JIT_DIR, H_JIT_HEAT, H_JIT_REQ, H_JIT_REQ_OFF, H_JIT_BAN, H_JIT_FAULT, H_TLB_READ, H_TLB_WRITE, H_INSTRET, JIT_TABLE_BASE, DC_PAGES,
} from '../layout.js';

const MAX_TRANSLATIONS = 4;
/** H_JIT_REQ_OFF flag of an entry point the translation lacks (assembly/jit.ts): not counted towards the ban. */
const JIT_REQ_MISSED = 0x10000;
const PAGE_SLOT_BYTES = 0x4000;

export interface JitCoreExports {
  jitEnable(hot: number): void;
  jitPageAddr(i: number): number;
  jitDecodeAt(i: number, off: number): number;
  jitLoad: Function; jitStore: Function; jitMulh: Function; jitFp: Function; jitSlice: Function; jitAmo: Function;
  engineCounter(i: number): bigint;
}

/** UNUM_JIT=0 turns the translator off (it is on by default). UNUM_JIT_HOT=n
 *  translates a page after n slices ended in it (default 1024, about a million
 *  instructions run in the page: translating and compiling a page costs
 *  1-2 ms, which interpreting saves only over ~10^6 instructions, and Linux's
 *  boot runs most of its code far less; 1 = almost at once, for tests). */
export function jitDefault(): boolean {
  return (typeof process === 'undefined' ? undefined : process.env.UNUM_JIT) !== '0';
}

const trace = (typeof process === 'undefined' ? undefined : process.env.UNUM_JIT_TRACE) === '1';

function hotness(): number {
  const n = Number(typeof process === 'undefined' ? undefined : process.env.UNUM_JIT_HOT);
  return Number.isInteger(n) && n > 0 ? n : 1024;
}

export function createJitTable(): WebAssembly.Table {
  return new WebAssembly.Table({ element: 'anyfunc', initial: JIT_TABLE_BASE + DC_PAGES });
}

/** What translation has cost so far on this hart. */
export interface JitStats { pages: number; insns: number; bodyBytes: number; ms: number }

export class JitManager {
  pagesTranslated = 0;
  readonly stats: JitStats = { pages: 0, insns: 0, bodyBytes: 0, ms: 0 };
  /** Translations per host page: a page whose hot code keeps escaping its translation is banned. */
  private readonly translations = new Map<number, number>();
  private readonly dv: DataView;
  constructor(
    private readonly core: JitCoreExports,
    private readonly memory: WebAssembly.Memory,
    private readonly table: WebAssembly.Table,
    private readonly hb: number,
    hot?: number,
  ) {
    this.dv = new DataView(memory.buffer);
    core.jitEnable(hot ?? hotness());
  }

  /** Translate the requested page (run() returned EXIT_JIT). */
  translateRequested(): void {
    const t0 = performance.now();
    const reqOff = this.dv.getInt32(this.hb + H_JIT_REQ_OFF, true);
    this.translate();
    const ms = performance.now() - t0;
    this.stats.ms += ms;
    if (trace) this.trace(reqOff, ms);
  }

  /** UNUM_JIT_TRACE=1: one stderr line per translation with the engine's counters so far. */
  private trace(reqOff: number, ms: number): void {
    const c = (k: number): string => BigInt.asUintN(64, this.core.engineCounter(k)).toString();
    const why = reqOff >= 0 && (reqOff & JIT_REQ_MISSED) !== 0 ? 'missed-entry' : 'hot';
    console.error(`jit hart@${this.hb.toString(16)} #${this.stats.pages} ${why} ${ms.toFixed(1)} ms, total ${this.stats.insns} insns ${this.stats.ms.toFixed(0)} ms;`
      + ` translated ${c(0)} entries ${c(5)} chains ${c(6)} refills ${c(7)} traps ${c(1)}`);
  }

  private translate(): void {
    const req = this.dv.getInt32(this.hb + H_JIT_REQ, true);
    this.dv.setInt32(this.hb + H_JIT_REQ, 0, true);
    if (req <= 0) return;
    const i = req - 1;
    const hp = this.dv.getUint32(this.hb + H_DC_DIR + i * 4, true);
    if (hp === 0) return;
    // wasm returns usize as a signed i32: decode pages of a big node sit above 2 GiB
    const page = this.core.jitPageAddr(i) >>> 0;
    // Only a live translation that hot code keeps escaping counts towards the
    // ban; one dropped by a cache flush (every DSM revocation bumps the
    // epoch) is simply rebuilt, else a busy node would run interpreted, and
    // so is one that lacks an entry point the interpreter keeps refilling at.
    const reqOff = this.dv.getInt32(this.hb + H_JIT_REQ_OFF, true);
    const missedEntry = reqOff >= 0 && (reqOff & JIT_REQ_MISSED) !== 0;
    const live = this.dv.getUint32(this.hb + H_JIT_DIR + i * 4, true) === hp && !missedEntry;
    const times = (this.translations.get(hp) ?? 0) + (live ? 1 : 0);
    this.translations.set(hp, times);
    const { insns, entries } = this.discover(i, page);
    if (insns.size === 0 || times > MAX_TRANSLATIONS) { this.dv.setUint32(this.hb + H_JIT_BAN + i * 4, hp, true); return; }
    const chain = { hb: this.hb, dcBase: this.core.jitPageAddr(0) >>> 0, fnType: 0 };
    const code = translatePage(insns, entries, this.hb, this.hb + H_TLB_READ, this.hb + H_TLB_WRITE, this.hb + H_JIT_FAULT, this.hb + H_INSTRET, chain);
    const bytes = writeModule({
      types: [
        { params: [I32, I64, I64, I64], results: [I64] },
        { params: [I64, I32, I32], results: [I64] },
        { params: [I64, I32, I64], results: [I32] },
        { params: [I64, I64, I32], results: [I64] },
        { params: [I32, I32, I64, I32], results: [I32] },
        { params: [I64, I64], results: [I64] },
        { params: [I32, I64], results: [I32] },
      ],
      imports: [
        { module: 'core', name: 'jitLoad', func: 1 },
        { module: 'core', name: 'jitStore', func: 2 },
        { module: 'core', name: 'jitMulh', func: 3 },
        { module: 'core', name: 'jitFp', func: 4 },
        { module: 'core', name: 'jitSlice', func: 5 },
        { module: 'core', name: 'jitAmo', func: 6 },
        { module: 'env', name: 'memory', sharedMemoryMaxPages: 65536 },
        { module: 'env', name: 'table', funcTableMin: JIT_TABLE_BASE + DC_PAGES }, // page-chain.ts calls through it
      ],
      func: { type: 0, locals: code.locals, body: code.body, exportName: 'f' },
    });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      core: { jitLoad: this.core.jitLoad, jitStore: this.core.jitStore, jitMulh: this.core.jitMulh, jitFp: this.core.jitFp, jitSlice: this.core.jitSlice, jitAmo: this.core.jitAmo },
      env: { memory: this.memory, table: this.table },
    });
    const tableIndex = JIT_TABLE_BASE + i;
    this.table.set(tableIndex, inst.exports.f as Function);
    for (const off of code.leaders) {
      const a = page + off * 4;
      this.dv.setUint32(a, OP_JIT | (this.dv.getUint32(a, true) & 0x80), true);
      this.dv.setUint32(a + 4, tableIndex, true);
    }
    this.dv.setUint32(this.hb + H_JIT_DIR + i * 4, hp, true);
    this.dv.setUint32(this.hb + H_JIT_HEAT + i * 4, 0, true);
    this.pagesTranslated++;
    this.stats.pages++;
    this.stats.insns += insns.size;
    this.stats.bodyBytes += code.body.length;
  }

  /** The translatable instructions reachable from the hot spot (where the
   *  requesting slice ended) and from the previous translation's entry
   *  points; from everything the interpreter ran only if that finds none.
   *  Code that ran once (a page's init code, printf next to a kernel's loop)
   *  stays out, so the function is smaller and V8 compiles it sooner. */
  private discover(i: number, page: number): { insns: Map<number, Slot>; entries: number[] } {
    const req = this.dv.getInt32(this.hb + H_JIT_REQ_OFF, true);
    const hot = req < 0 ? req : req & ~JIT_REQ_MISSED;
    const markers: number[] = [];
    const decoded: number[] = [];
    for (let off = 0; off < 0x1000; off += 2) {
      const op = this.dv.getUint32(page + off * 4, true) & 0x7f;
      if (op === OP_JIT) markers.push(off);
      else if (op >= OP_FIRST) decoded.push(off);
    }
    // Again: markers replaced their slots, so start from freshly decoded ones.
    if (this.dv.getUint32(this.hb + H_JIT_DIR + i * 4, true) !== 0) {
      new Uint8Array(this.memory.buffer, page, PAGE_SLOT_BYTES).fill(0);
      this.dv.setUint32(this.hb + H_JIT_DIR + i * 4, 0, true);
    }
    const entries = hot >= 0 ? [hot, ...markers] : markers;
    const insns = this.reach(i, page, [...entries]);
    return { insns: insns.size > 0 ? insns : this.reach(i, page, [...markers, ...decoded]), entries };
  }

  private reach(i: number, page: number, work: number[]): Map<number, Slot> {
    const insns = new Map<number, Slot>();
    const seen = new Set<number>();
    while (work.length > 0) {
      const off = work.pop()!;
      if (off < 0 || off > 0xffe || seen.has(off)) continue;
      seen.add(off);
      const w0 = this.core.jitDecodeAt(i, off) >>> 0;
      const s = readSlot(off, w0, this.dv.getInt32(page + off * 4 + 4, true));
      if (s.op < OP_FIRST || !translatable(s.op)) continue;
      insns.set(off, s);
      if (isBranch(s.op) || s.op === OP_JAL || s.op === OP_J) work.push(off + s.imm);
      if (s.op !== OP_J && s.op !== OP_JR) work.push(off + s.len); // calls return here
    }
    return insns;
  }
}
