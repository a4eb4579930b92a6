/**
 * One hart on a small identity-mapped RAM, running hand-assembled code (see
 * rv-asm.ts) from the RAM base in M-mode, with an mtime the test sets.
 * For engine tests that need no devices and no ELF.
 */
import { Vcpu } from '../vcpu.js';
import { createNodeMemory, mapAllRam, writeGpa } from '../memory.js';
import { loadCoreModuleSync } from '../core.js';
import type { Asm } from './rv-asm.js';

export interface RawHart {
  vcpu: Vcpu;
  memory: WebAssembly.Memory;
  /** mtime the engine sees (10 MHz ticks); tests move it by hand. */
  clock: { now: bigint };
}

export function rawHart(program: Asm, opts: { jit?: boolean; jitHot?: number; ramBytes?: number } = {}): RawHart {
  const memory = createNodeMemory({ ramBytes: opts.ramBytes ?? 1 << 22 });
  mapAllRam(memory);
  writeGpa(memory, program.base, program.bytes());
  const clock = { now: 0n };
  const vcpu = new Vcpu(loadCoreModuleSync(), memory, 0, { mtime: () => clock.now, jit: opts.jit ?? false, jitHot: opts.jitHot });
  vcpu.reset(BigInt(program.base));
  vcpu.mtimecmp = (1n << 64n) - 1n; // no machine timer unless a test arms it
  return { vcpu, memory, clock };
}
