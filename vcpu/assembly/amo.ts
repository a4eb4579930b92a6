// A extension: LR/SC (QEMU style: LR records address and value, SC is a
// compare-exchange from the recorded value) and AMOs as wasm atomic RMWs,
// so they are atomic across harts running in other worker threads.
import { H_RES_VALID, H_RES_ADDR, H_RES_VALUE, ACC_READ, ACC_WRITE } from "./layout";
import { hb, rd64, wr64, raise, raiseIllegal, fault, F_NONE } from "./state";
import { hostFor, X_MMIO } from "./mmu";
import { codeWritten } from "./dcache";

@inline function clearRes(): void { store<i32>(hb + H_RES_VALID, 0); }

export function execAmo(inst: u32): void {
  const f3 = (inst >> 12) & 7;
  if (f3 != 2 && f3 != 3) { raiseIllegal(); return; }
  const wide = f3 == 3;
  const f5 = inst >> 27;
  if (f5 > 0x1C || ((0x1111111F >> f5) & 1) == 0) { raiseIllegal(); return; }
  const rd = (inst >> 7) & 31;
  const va = load<u64>(hb + (((inst >> 15) & 31) << 3));
  const src = load<u64>(hb + (((inst >> 20) & 31) << 3));
  const align: u64 = wide ? 7 : 3;
  let result: u64 = 0;
  if (f5 == 2) { // LR
    if (((inst >> 20) & 31) != 0) { raiseIllegal(); return; }
    if ((va & align) != 0) { raise(4, va); return; }
    const h = hostFor(va, ACC_READ);
    if (h == X_MMIO) { raise(5, va); return; }
    if (h < 0) return;
    if (wide) result = atomic.load<u64>(<u32>h);
    else {
      const w: i32 = atomic.load<i32>(<u32>h); // via a local: asc would zero-extend the cast load
      result = <u64><i64>w;
    }
    store<i32>(hb + H_RES_VALID, 1);
    wr64(H_RES_ADDR, va);
    wr64(H_RES_VALUE, result);
  } else if (f5 == 3) { // SC
    if ((va & align) != 0) { raise(6, va); return; }
    if (load<i32>(hb + H_RES_VALID) == 0 || rd64(H_RES_ADDR) != va) {
      result = 1;
    } else {
      const h = hostFor(va, ACC_WRITE);
      if (h == X_MMIO) { raise(7, va); return; }
      if (h < 0) return; // page exit: retried with the reservation intact
      const expect = rd64(H_RES_VALUE);
      if (wide) result = atomic.cmpxchg<u64>(<u32>h, expect, src) == expect ? 0 : 1;
      else result = atomic.cmpxchg<u32>(<u32>h, <u32>expect, <u32>src) == <u32>expect ? 0 : 1;
      codeWritten(<u32>h, wide ? 8 : 4);
    }
    clearRes();
  } else {
    if ((va & align) != 0) { raise(6, va); return; }
    const h = hostFor(va, ACC_WRITE);
    if (h == X_MMIO) { raise(7, va); return; }
    if (h < 0) return;
    const p = <u32>h;
    if (wide) result = amo64(f5, p, src);
    else result = <u64><i64>amo32(f5, p, <u32>src);
    if (fault != F_NONE) return;
    codeWritten(p, wide ? 8 : 4);
  }
  if (rd != 0) store<u64>(hb + (rd << 3), result);
}

function amo64(f5: u32, p: u32, v: u64): u64 {
  switch (f5) {
    case 0x01: return atomic.xchg<u64>(p, v);
    case 0x00: return atomic.add<u64>(p, v);
    case 0x04: return atomic.xor<u64>(p, v);
    case 0x0C: return atomic.and<u64>(p, v);
    case 0x08: return atomic.or<u64>(p, v);
  }
  if (f5 != 0x10 && f5 != 0x14 && f5 != 0x18 && f5 != 0x1C) { raiseIllegal(); return 0; }
  while (true) {
    const old = atomic.load<u64>(p);
    let nv: u64;
    if (f5 == 0x10) nv = <i64>old < <i64>v ? old : v;
    else if (f5 == 0x14) nv = <i64>old > <i64>v ? old : v;
    else if (f5 == 0x18) nv = old < v ? old : v;
    else nv = old > v ? old : v;
    if (atomic.cmpxchg<u64>(p, old, nv) == old) return old;
  }
  return 0;
}

function amo32(f5: u32, p: u32, v: u32): i32 {
  switch (f5) {
    case 0x01: return <i32>atomic.xchg<u32>(p, v);
    case 0x00: return <i32>atomic.add<u32>(p, v);
    case 0x04: return <i32>atomic.xor<u32>(p, v);
    case 0x0C: return <i32>atomic.and<u32>(p, v);
    case 0x08: return <i32>atomic.or<u32>(p, v);
  }
  if (f5 != 0x10 && f5 != 0x14 && f5 != 0x18 && f5 != 0x1C) { raiseIllegal(); return 0; }
  while (true) {
    const old = atomic.load<u32>(p);
    let nv: u32;
    if (f5 == 0x10) nv = <i32>old < <i32>v ? old : v;
    else if (f5 == 0x14) nv = <i32>old > <i32>v ? old : v;
    else if (f5 == 0x18) nv = old < v ? old : v;
    else nv = old > v ? old : v;
    if (atomic.cmpxchg<u32>(p, old, nv) == old) return <i32>old;
  }
  return 0;
}
