/**
 * DBCN (0x4442434E), the debug console: console_write(num_bytes,
 * base_addr_lo, base_addr_hi), console_read(...), console_write_byte(byte).
 * Buffers are guest-physical; on RV64 the address is base_addr_lo and
 * base_addr_hi must be 0. Bytes go to the VM console, the one the UART
 * writes to. A write takes at most MAX_CHUNK bytes per call (the spec
 * allows short writes; a1 says how many were taken).
 */
import type { SbiContext, SbiExtension } from './dispatcher.js';
import { EID, SBI_ERR_INVALID_PARAM, notSupported, ok, ret, type SbiOutcome } from './sbi-abi.js';

export const MAX_CHUNK = 4096;

/** The RAM range [gpa, gpa+n) or undefined if any of it is outside RAM. */
function ramRange(ctx: SbiContext, n: bigint, lo: bigint, hi: bigint): number | undefined {
  const { ramBase, ramBytes } = ctx.host;
  if (hi !== 0n || lo < BigInt(ramBase) || lo + n > BigInt(ramBase) + BigInt(ramBytes)) return undefined;
  return Number(lo);
}

function write(ctx: SbiContext, num: bigint, lo: bigint, hi: bigint): SbiOutcome {
  const n = num > BigInt(MAX_CHUNK) ? BigInt(MAX_CHUNK) : num;
  if (n === 0n) return ok(0n);
  const gpa = ramRange(ctx, n, lo, hi);
  if (gpa === undefined) return ret(SBI_ERR_INVALID_PARAM);
  return ok(BigInt(ctx.host.consoleWrite(ctx.host.readPhys(gpa, Number(n)))));
}

function read(ctx: SbiContext, num: bigint, lo: bigint, hi: bigint): SbiOutcome {
  const n = num > BigInt(MAX_CHUNK) ? BigInt(MAX_CHUNK) : num;
  if (n === 0n) return ok(0n);
  const gpa = ramRange(ctx, n, lo, hi);
  if (gpa === undefined) return ret(SBI_ERR_INVALID_PARAM);
  const bytes = ctx.host.consoleRead(Number(n));
  if (bytes.length) ctx.host.writePhys(gpa, bytes);
  return ok(BigInt(bytes.length));
}

export const dbcn: SbiExtension = {
  name: 'DBCN',
  eids: [EID.DBCN],
  call({ fid, args }, ctx) {
    switch (fid) {
      case 0: return write(ctx, args[0]!, args[1]!, args[2]!);
      case 1: return read(ctx, args[0]!, args[1]!, args[2]!);
      case 2: ctx.host.consoleWrite(Uint8Array.of(Number(args[0]! & 0xffn))); return ok();
      default: return notSupported();
    }
  },
};
