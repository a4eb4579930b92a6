/**
 * Compiles one decode page into one wasm function (v86 style):
 *   f(off, fbase, ic, stop) -> rel
 * Registers live in locals (loaded on entry, written back on exit). The body
 * is a loop over a br_table that maps a slot index to its entry point
 * ("leader": a branch target or an instruction not reached by fall-through);
 * forward jumps branch straight to the leader's label. Straight-line runs are
 * blocks whose instret is added up front, after checking that the whole
 * block fits before `stop` (else jitSlice decides), so the budget stays exact. Anything not inline
 * returns to the interpreter with rel = its offset (or the target, when
 * control leaves the page: page-chain.ts may tail-call that page's
 * translation instead); instret is written back to the hart state.
 */
import { CodeWriter, Op, I32, I64 } from './wasm-writer.js';
import { emitInsn, F, L, regLocal, type FlowContext } from './codegen.js';
import { emitChain, type ChainSite } from './page-chain.js';
import { type Slot, isBranch, isControl, OP_JAL, OP_J, OP_JALR, OP_JR, OP_SB } from './ops.js';

const MAX_BLOCK = 256; // instructions per budget check at most
const LINEAR_SEARCH = 4; // leaders compared one by one below this many

export interface PageCode { body: Uint8Array; locals: [number, number][]; leaders: number[] }

/** `insns`: the translatable instructions of the page, by byte offset;
 *  `entries`: offsets that must be entry points (the hot spot, the previous
 *  translation's entries), so a missed entry, once added, stays. */
export function translatePage(insns: Map<number, Slot>, entries: number[], hb: number, tlbRead: number, tlbWrite: number, jitFault: number, instretAddr: number, chain: ChainSite): PageCode {
  const list = [...insns.values()].sort((x, y) => x.off - y.off);
  const fallsInto = new Set<number>();
  const targets = new Set<number>();
  for (const s of list) {
    if (isBranch(s.op) || s.op === OP_JAL || s.op === OP_J) {
      const t = s.off + s.imm;
      if (insns.has(t)) targets.add(t);
    }
    if (!(s.op === OP_JAL || s.op === OP_J || s.op === OP_JALR || s.op === OP_JR)) fallsInto.add(s.off + s.len);
  }
  for (const off of entries) if (insns.has(off)) targets.add(off);
  const leaders = list.filter((s) => targets.has(s.off) || !fallsInto.has(s.off)).map((s) => s.off);
  const leaderIndex = new Map(leaders.map((off, k) => [off, k]));

  const w = new CodeWriter();
  const used = new Set<number>();
  const written = new Set<number>();
  for (const s of list) {
    const isStore = s.op >= OP_SB && s.op <= OP_SB + 3;
    const isBr = isBranch(s.op);
    for (const r of [s.rs1, s.rs2]) if (r !== 0) used.add(r);
    if (!isStore && !isBr && s.rd !== 0) { used.add(s.rd); written.add(s.rd); }
  }
  for (const r of used) w.i32(0).mem(Op.i64Load, 3, hb + r * 8).set(regLocal(r));
  w.get(L.off).i32(1).byte(0x76).set(L.idx); // i32.shr_u: slot index
  w.get(L.off).byte(Op.i64ExtendI32U).set(L.ret); // the exit value if the slot is not an entry point

  const EXIT = 'exit', RESOLVE = 'resolve', FOUND = 'found', DISPATCH = 'dispatch';
  let curLeader = -1;
  const c: FlowContext = {
    w, hb, tlbRead, tlbWrite, jitFault,
    goto(target) {
      const k = leaderIndex.get(target);
      if (k === undefined) { c.exitAt(target, 0); return; }
      if (k > curLeader) { w.br(`L${k}`); return; }
      w.i32(k).set(L.idx).br(DISPATCH);
    },
    exitAt(target, icBack) {
      if (icBack !== 0) w.get(L.ic).i64(icBack).byte(Op.i64Sub).set(L.ic);
      w.i64(target).set(L.ret).br(EXIT);
    },
    exitDynamic() {
      // in-page target: dispatch (a non-entry slot falls to the default exit)
      w.byte(Op.localTee).u32(L.ret).i64(0xfff).byte(Op.i64LtU).open(Op.if, 'jr');
      w.get(L.ret).byte(Op.i32WrapI64).i32(1).byte(0x76).set(L.idx).br(RESOLVE);
      w.end();
      w.br(EXIT);
    },
  };

  // Slot index -> leader index by binary search, then a br_table over the
  // leaders only. A br_table over all 2048 slots made TurboFan merge every
  // local at every entry: 100-300 ms to tier up one page.
  w.open(Op.block, EXIT).open(Op.loop, RESOLVE).open(Op.block, FOUND);
  emitSearch(w, leaders, 0, leaders.length, FOUND, EXIT);
  w.end();
  w.open(Op.loop, DISPATCH);
  for (let k = leaders.length - 1; k >= 0; k--) w.open(Op.block, `L${k}`);
  w.open(Op.block, 'default');
  w.get(L.idx).byte(Op.brTable).u32(leaders.length);
  for (let k = 0; k < leaders.length; k++) w.u32(w.depth(`L${k}`));
  w.u32(w.depth('default'));
  w.end();
  w.byte(0x00); // unreachable: idx is always a leader index here

  let blockLeft = 0;
  for (let p = 0; p < list.length; p++) {
    const s = list[p];
    const k = leaderIndex.get(s.off);
    if (k !== undefined) { w.end(); curLeader = k; blockLeft = 0; }
    if (blockLeft === 0) {
      let n = 1;
      while (n < MAX_BLOCK && p + n < list.length) {
        const prev = list[p + n - 1], next = list[p + n];
        if (isControl(prev.op) || next.off !== prev.off + prev.len || leaderIndex.has(next.off)) break;
        n++;
      }
      // Past the stop: jitSlice says whether the block fits the budget and
      // whether run() has work (slice.ts); it returns the next stop or -1.
      w.get(L.stop).get(L.ic).byte(Op.i64Sub).i64(n).byte(Op.i64LtS).open(Op.if, 'budget');
      w.get(L.ic).i64(n).byte(Op.call).u32(F.slice).byte(Op.localTee).u32(L.stop).i64(0).byte(Op.i64LtS).open(Op.if, 'leave');
      c.exitAt(s.off, 0);
      w.end();
      w.end();
      w.get(L.ic).i64(n).byte(Op.i64Add).set(L.ic);
      blockLeft = n;
    }
    emitInsn(c, s, blockLeft);
    blockLeft--;
    const next = list[p + 1];
    const fallsThrough = !(s.op === OP_JAL || s.op === OP_J || s.op === OP_JALR || s.op === OP_JR);
    if (fallsThrough && (next === undefined || next.off !== s.off + s.len)) c.goto(s.off + s.len);
    if (!fallsThrough || (next !== undefined && next.off !== s.off + s.len)) blockLeft = 0;
  }
  w.end(); // dispatch loop
  w.end(); // resolve loop
  w.end(); // exit block
  for (const r of written) w.i32(0).get(regLocal(r)).mem(Op.i64Store, 3, hb + r * 8);
  w.i32(0).get(L.ic).mem(Op.i64Store, 3, instretAddr);
  emitChain(w, chain);
  w.get(L.ret);
  return { body: w.bytes, locals: [[35, I64], [3, I32]], leaders };
}

/** idx (a slot index) -> leader index in idx and `br found`; a slot that is not an entry point: `br miss`. */
function emitSearch(w: CodeWriter, leaders: number[], lo: number, hi: number, found: string, miss: string): void {
  if (hi - lo <= LINEAR_SEARCH) {
    for (let k = lo; k < hi; k++) {
      w.get(L.idx).i32(leaders[k] >> 1).byte(Op.i32Eq).open(Op.if, 'hit');
      w.i32(k).set(L.idx).br(found);
      w.end();
    }
    w.br(miss);
    return;
  }
  const mid = (lo + hi) >> 1;
  w.get(L.idx).i32(leaders[mid] >> 1).byte(Op.i32LtU).open(Op.if, 'lower');
  emitSearch(w, leaders, lo, mid, found, miss);
  w.else_();
  emitSearch(w, leaders, mid, hi, found, miss);
  w.end();
}
