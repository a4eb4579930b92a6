// Sdtrig CSRs (tselect, tdata1-3, tinfo) with QEMU 7.2's values and WARL
// rules: two triggers, each an mcontrol (type 2) or mcontrol6 (type 6).
// Triggers never fire here (see docs/vcpu.md); the CSRs exist so that
// software probing them (OpenSBI, Linux) reads what it reads on QEMU.
import { H_TSELECT, H_TDATA1, H_TDATA2, TRIGGERS } from "./layout";
import { hb, rd64, wr64 } from "./state";

const TYPE_MCONTROL: u64 = 2;
const TYPE_MCONTROL6: u64 = 6;
/** tinfo: types 2 and 6 supported. */
export const TINFO: u64 = (1 << TYPE_MCONTROL) | (1 << TYPE_MCONTROL6);
/** tdata1 after reset: an mcontrol with nothing enabled. */
export const TDATA1_RESET: u64 = TYPE_MCONTROL << 60;
// mode and access bits both types keep: M(6) S(4) U(3) EXEC(2) STORE(1) LOAD(0)
const MODE_ACCESS: u64 = 0x5F;
const MC_SIZELO: u64 = 3 << 16;
const MC_SIZEHI: u64 = 3 << 21;
const MC6_SIZE: u64 = 0xF << 16;

// @ts-ignore: decorator
@inline function sel(): u32 { return load<u32>(hb + H_TSELECT); }

export function triggerReset(): void {
  for (let i: u32 = 0; i < TRIGGERS; i++) wr64(H_TDATA1 + (i << 3), TDATA1_RESET);
}

export function tselectRead(): u64 { return <u64>sel(); }
/** An index past the last trigger is ignored (QEMU 7.2). */
export function tselectWrite(v: u64): void { if (v < <u64>TRIGGERS) store<u32>(hb + H_TSELECT, <u32>v); }

export function tdata1Read(): u64 { return rd64(H_TDATA1 + (sel() << 3)); }
export function tdata2Read(): u64 { return rd64(H_TDATA2 + (sel() << 3)); }
export function tdata2Write(v: u64): void { wr64(H_TDATA2 + (sel() << 3), v); }

/** A write naming a type QEMU 7.2 does not implement is ignored; otherwise
 *  only the mode/access bits and a supported size survive (dmode, match,
 *  chain, action, timing, select and hit read as zero). */
export function tdata1Write(v: u64): void {
  const type = v >> 60;
  let nv: u64;
  if (type == TYPE_MCONTROL) {
    nv = (TYPE_MCONTROL << 60) | (v & MODE_ACCESS);
    const size = (((v & MC_SIZEHI) >> 21) << 2) | ((v & MC_SIZELO) >> 16);
    if (sizeSupported(size)) nv |= v & (MC_SIZELO | MC_SIZEHI);
  } else if (type == TYPE_MCONTROL6) {
    nv = (TYPE_MCONTROL6 << 60) | (v & MODE_ACCESS);
    if (sizeSupported((v & MC6_SIZE) >> 16)) nv |= v & MC6_SIZE;
  } else {
    return;
  }
  wr64(H_TDATA1 + (sel() << 3), nv);
}

/** Access sizes QEMU 7.2 matches: any, 1, 2, 4 and 8 bytes (encodings 0-3, 5). */
// @ts-ignore: decorator
@inline function sizeSupported(size: u64): bool { return size <= 3 || size == 5; }
