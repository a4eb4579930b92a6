/**
 * Legacy SBI v0.1 (EIDs 0x00..0x08, one function each, a6 ignored). The
 * answer is a0 alone (a1 is left as it was, as KVM does). Hart masks are
 * passed by pointer, an S-mode virtual address (NULL = every hart), read
 * through the caller's satp; hart ids past the VM's are ignored.
 */
import type { SbiContext, SbiExtension } from './dispatcher.js';
import { EID, SBI_ERR_INVALID_ADDRESS, errorWord, notSupported, type SbiOutcome } from './sbi-abi.js';
import type { RemoteFenceKind } from './sbi-host.js';

const legacyRet = (value: bigint): SbiOutcome => ({ kind: 'legacy', value: BigInt.asUintN(64, value) });

/** The harts a legacy mask pointer selects, or undefined if it cannot be read. */
function maskHarts(ctx: SbiContext, ptr: bigint): number[] | undefined {
  const n = ctx.host.hartCount;
  if (ptr === 0n) return Array.from({ length: n }, (_, h) => h);
  const b = ctx.host.readVirt(ptr, 8);
  if (!b) return undefined;
  const mask = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  const harts: number[] = [];
  for (let h = 0; h < Math.min(n, 64); h++) if ((mask >> BigInt(h)) & 1n) harts.push(h);
  return harts;
}

function fence(ctx: SbiContext, kind: RemoteFenceKind, args: readonly bigint[]): SbiOutcome {
  const harts = maskHarts(ctx, args[0]!);
  if (!harts) return legacyRet(errorWord(SBI_ERR_INVALID_ADDRESS));
  if (harts.length) {
    ctx.host.remoteFence(harts, {
      kind, start: kind === 'fence.i' ? 0n : args[1]!, size: kind === 'fence.i' ? 0n : args[2]!,
      asid: kind === 'sfence.vma.asid' ? args[3]! : 0n,
    });
  }
  return legacyRet(0n);
}

export const legacy: SbiExtension = {
  name: 'legacy v0.1',
  eids: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  call({ ext, args }, ctx) {
    const { host } = ctx;
    switch (ext) {
      case EID.LEGACY_SET_TIMER: host.setTimer(args[0]!); return legacyRet(0n);
      case EID.LEGACY_CONSOLE_PUTCHAR: host.consoleWrite(Uint8Array.of(Number(args[0]! & 0xffn))); return legacyRet(0n);
      case EID.LEGACY_CONSOLE_GETCHAR: {
        const b = host.consoleRead(1);
        return legacyRet(b.length ? BigInt(b[0]!) : -1n);
      }
      case EID.LEGACY_CLEAR_IPI: host.clearIpi(); return legacyRet(0n);
      case EID.LEGACY_SEND_IPI: {
        const harts = maskHarts(ctx, args[0]!);
        if (!harts) return legacyRet(errorWord(SBI_ERR_INVALID_ADDRESS));
        if (harts.length) host.sendIpi(harts);
        return legacyRet(0n);
      }
      case EID.LEGACY_REMOTE_FENCE_I: return fence(ctx, 'fence.i', args);
      case EID.LEGACY_REMOTE_SFENCE_VMA: return fence(ctx, 'sfence.vma', args);
      case EID.LEGACY_REMOTE_SFENCE_VMA_ASID: return fence(ctx, 'sfence.vma.asid', args);
      case EID.LEGACY_SHUTDOWN: host.systemReset(0, 0); return { kind: 'stop' };
      default: return notSupported();
    }
  },
};
