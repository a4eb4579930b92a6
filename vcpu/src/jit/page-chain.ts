/**
 * Chaining between translated pages: when control leaves the page (a jump,
 * call or return to another page), the exit does what the interpreter's
 * refill would do, inline, and if it finds a live translation whose entry
 * point is the target it tail-calls that page's function
 * (return_call_indirect, so a chain of any length uses no stack):
 *   - the code TLB entry of the target matches (as hostFor's hit path);
 *   - the decode page of its host page holds that page (as codePage), is not
 *     suspect (after fence.i or an epoch change the interpreter must compare
 *     it with its snapshot first), and its translation is live;
 *   - the target slot is an OP_JIT entry marker.
 * Anything else returns to the interpreter as before. The registers and
 * instret were written back by the exit, and the callee checks its first
 * block against the same stop (and jitSlice), so the budget, the slice
 * checks and precise traps are as without chaining. The interpreter learns
 * the page it is now in from H_JIT_CHAIN_PAGE/H_JIT_CHAIN_FBASE (the
 * returned rel is relative to that page).
 */
import { CodeWriter, Op } from './wasm-writer.js';
import { L } from './codegen.js';
import { OP_JIT } from './ops.js';
import {
  FRAMES, DC_PAGES, DC_PAGE_BYTES, H_TLB_CODE, H_DC_DIR, H_JIT_DIR, H_DC_SUSPECT, H_JIT_CHAIN_PAGE, H_JIT_CHAIN_FBASE, H_JIT_CHAINS,
} from '../layout.js';

/** Where the chain looks: the hart state and this hart's first decode page. */
export interface ChainSite { hb: number; dcBase: number; fnType: number }

/** With rel in L.ret and the state written back: chain if the target is a
 *  translated entry point, else fall through (the caller returns rel). */
export function emitChain(w: CodeWriter, site: ChainSite): void {
  const { hb } = site;
  const va = L.va, e = L.e, hp = L.st, i = L.idx;
  const pageOf = (): void => { w.get(va).i64(-4096).byte(Op.i64And); };
  const offOf = (): void => { w.get(va).byte(Op.i32WrapI64).i32(0xffe).byte(Op.i32And); };
  w.get(L.ret).i64(0xfff).byte(Op.i64GtU).open(Op.if, 'left');
  w.get(L.fbase).get(L.ret).byte(Op.i64Add).set(va);
  w.get(va).i64(12).byte(Op.i64ShrU, Op.i32WrapI64).i32(255).byte(Op.i32And).i32(4).byte(Op.i32Shl).set(e);
  w.get(e).mem(Op.i64Load, 3, hb + H_TLB_CODE); pageOf(); w.byte(Op.i64Eq).open(Op.if, 'tlb');
  w.get(va).get(e).mem(Op.i64Load, 3, hb + H_TLB_CODE + 8).byte(Op.i64Add, Op.i32WrapI64).i32(-4096).byte(Op.i32And).set(hp);
  w.get(hp).i32(FRAMES).byte(Op.i32Sub).i32(12).byte(Op.i32ShrU).i32(DC_PAGES - 1).byte(Op.i32And).set(i);
  w.get(i).i32(2).byte(Op.i32Shl).mem(Op.i32Load, 2, hb + H_DC_DIR).get(hp).byte(Op.i32Eq);
  w.get(i).i32(2).byte(Op.i32Shl).mem(Op.i32Load, 2, hb + H_JIT_DIR).get(hp).byte(Op.i32Eq, Op.i32And);
  w.get(i).mem(Op.i32Load8U, 0, hb + H_DC_SUSPECT).byte(Op.i32Eqz, Op.i32And).open(Op.if, 'live');
  w.get(i).i32(DC_PAGE_BYTES).byte(Op.i32Mul).i32(site.dcBase | 0).byte(Op.i32Add).set(e); // its slot array
  w.get(e); offOf(); w.i32(2).byte(Op.i32Shl, Op.i32Add).set(hp); // the target slot
  w.get(hp).mem(Op.i32Load, 2, 0).i32(0x7f).byte(Op.i32And).i32(OP_JIT).byte(Op.i32Eq).open(Op.if, 'entry');
  w.i32(0).get(e).mem(Op.i32Store, 2, hb + H_JIT_CHAIN_PAGE);
  w.i32(0); pageOf(); w.mem(Op.i64Store, 3, hb + H_JIT_CHAIN_FBASE);
  w.i32(0).i32(0).mem(Op.i64Load, 3, hb + H_JIT_CHAINS).i64(1).byte(Op.i64Add).mem(Op.i64Store, 3, hb + H_JIT_CHAINS);
  offOf(); pageOf(); w.get(L.ic).get(L.stop);
  w.get(hp).mem(Op.i32Load, 2, 4).byte(Op.returnCallIndirect).u32(site.fnType).u32(0);
  w.end().end().end().end();
}

