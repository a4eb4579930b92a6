/**
 * One hart of the RV64GC engine. Create it (in a worker or the main thread)
 * from the compiled core module, the node's shared memory and a hart id:
 *
 *   const vcpu = new Vcpu(await loadCoreModule(), memory, 0);
 *   vcpu.reset(0x8000_0000n, 0n, fdtAddr);
 *   for (;;) { const exit = vcpu.run(); ... }
 */
import type { VcpuExit, Access } from './exit.js';
import { loadCoreModuleSync, type CoreExports } from './core.js';
import { JitManager, createJitTable, jitDefault, type JitCoreExports, type JitStats } from './jit/jit-manager.js';
import {
  HART_BASE, HART_STRIDE, MAX_HARTS, H_X, H_F, H_PC, H_INSTRET, H_PRIV, H_HART_ID, H_EXIT_KIND,
  H_EXIT_ACCESS, H_EXIT_GPA, H_EXIT_SIZE, H_EXIT_WRITE, H_EXIT_VALUE, H_HOST_IRQ, H_KICK, H_STOP,
  H_MTIMECMP, H_STIMER_DEADLINE, EXIT_JIT, EXIT_MMIO, EXIT_PAGE, EXIT_SBI, EXIT_WFI, EXIT_HALT, EXIT_YIELD, EXIT_SPIN, ACC_READ, ACC_WRITE, NODE_CTRL, NC_HART_COUNT,
} from './layout.js';

export const DEFAULT_BUDGET = 10_000_000;

/** 10 MHz timebase from the host monotonic clock (the default `mtime`). */
const T0 = process.hrtime.bigint();
export function hostMtime(): bigint {
  return (process.hrtime.bigint() - T0) / 100n;
}

/** Vcpu.engineCounters: deterministic counts since init. */
export interface EngineCounters {
  translated: bigint; traps: bigint; tlbFlushes: bigint; dcFlushes: bigint; dcStale: bigint;
  jitEntries: bigint; jitChains: bigint; refills: bigint;
}

export interface VcpuOptions {
  /** mtime source (10 MHz ticks). Called at most once per 1024-instruction slice and on time reads. */
  mtime?: () => bigint;
  /** Translate hot code pages to wasm (default: on unless the environment has UNUM_JIT=0). */
  jit?: boolean;
  /** Slices that end in a page before it is translated (default: UNUM_JIT_HOT, else 1024). */
  jitHot?: number;
}

const ACCESS: Access[] = ['read', 'write', 'fetch'];

export class Vcpu {
  readonly hartId: number;
  readonly memory: WebAssembly.Memory;
  private readonly core: CoreExports;
  private readonly base: number;
  private readonly dv: DataView;
  private readonly jit: JitManager | undefined;

  constructor(module: WebAssembly.Module | undefined, memory: WebAssembly.Memory, hartId: number, opts: VcpuOptions = {}) {
    if (!Number.isInteger(hartId) || hartId < 0 || hartId >= MAX_HARTS) throw new RangeError(`hartId must be 0..${MAX_HARTS - 1}`);
    const harts = new DataView(memory.buffer).getUint32(NODE_CTRL + NC_HART_COUNT, true);
    if (hartId >= harts) throw new RangeError(`hartId ${hartId} is outside this node memory's ${harts} harts`);
    this.hartId = hartId;
    this.memory = memory;
    const table = createJitTable();
    const instance = new WebAssembly.Instance(module ?? loadCoreModuleSync(), {
      env: { memory, mtime: opts.mtime ?? hostMtime, table },
    });
    this.core = instance.exports as unknown as CoreExports;
    this.core.init(hartId);
    this.core.setHartId(hartId);
    this.base = HART_BASE + hartId * HART_STRIDE;
    this.dv = new DataView(memory.buffer);
    if (opts.jit ?? jitDefault()) this.jit = new JitManager(instance.exports as unknown as JitCoreExports, memory, table, this.base, opts.jitHot);
  }

  /** Pages translated so far (0 with the translator off). */
  get jitPages(): number {
    return this.jit?.pagesTranslated ?? 0;
  }

  /** Translation cost so far (undefined with the translator off). */
  get jitStats(): JitStats | undefined {
    return this.jit?.stats;
  }

  /** Engine counters since init: instructions retired in translated code,
   *  traps taken, whole-TLB flushes, decode-cache flushes (fence.i, epoch
   *  changes), the code pages those found changed and dropped, calls from
   *  the interpreter into translated code, direct chains from one
   *  translated page to another, and code-page refills in the interpreter. */
  get engineCounters(): EngineCounters {
    const c = (i: number): bigint => BigInt.asUintN(64, this.core.engineCounter(i));
    return { translated: c(0), traps: c(1), tlbFlushes: c(2), dcFlushes: c(3), dcStale: c(4), jitEntries: c(5), jitChains: c(6), refills: c(7) };
  }

  /** Power-on: M-mode, pc, a0 = hart id by convention, a1 = FDT address. */
  reset(pc: bigint, a0: bigint = BigInt(this.hartId), a1: bigint = 0n): void {
    this.core.reset(pc, a0, a1);
  }

  /** Run until something needs the host; see VcpuExit. */
  run(budget: number = DEFAULT_BUDGET): VcpuExit {
    const start = this.instret;
    let kind = this.core.run(BigInt(budget));
    while (kind === EXIT_JIT) { // a hot page: translate it, then go on with what is left of the budget
      this.jit?.translateRequested();
      kind = this.core.run(BigInt(budget) - (this.instret - start));
    }
    return this.decodeExit(kind);
  }

  private decodeExit(kind: number): VcpuExit {
    const b = this.base;
    switch (kind) {
      case EXIT_MMIO:
        return {
          kind: 'mmio',
          gpa: Number(this.dv.getBigUint64(b + H_EXIT_GPA, true)),
          size: this.dv.getUint32(b + H_EXIT_SIZE, true) as 1 | 2 | 4 | 8,
          write: this.dv.getUint32(b + H_EXIT_WRITE, true) !== 0,
          value: this.dv.getBigUint64(b + H_EXIT_VALUE, true),
        };
      case EXIT_PAGE:
        return {
          kind: 'page',
          gpa: Number(this.dv.getBigUint64(b + H_EXIT_GPA, true)),
          access: ACCESS[this.dv.getUint32(b + H_EXIT_ACCESS, true)] ?? 'read',
        };
      case EXIT_SBI:
        return {
          kind: 'sbi',
          ext: Number(BigInt.asUintN(32, this.reg(17))),
          fid: Number(BigInt.asUintN(32, this.reg(16))),
          args: [10, 11, 12, 13, 14, 15].map((r) => this.reg(r)),
        };
      case EXIT_WFI: return { kind: 'wfi' };
      case EXIT_HALT: return { kind: 'halt', reason: 'stop requested' };
      case EXIT_YIELD: return { kind: 'yield' };
      case EXIT_SPIN: return { kind: 'yield', spinning: true };
      default: throw new Error(`engine returned unknown exit kind ${kind}`);
    }
  }

  /** Complete a pending MMIO read (value is truncated/extended per the load). */
  completeMmio(value: bigint): void {
    this.core.completeMmio(BigInt.asUintN(64, value));
  }

  /** The last `mmio` exit hit no device: the guest takes an access fault
   *  (load 5 / store 7, mtval = its address) instead, as on QEMU virt. */
  failMmio(): void {
    this.core.failMmio();
  }

  /** Complete an SBI call: a0 = error, a1 = value; pc moves past the ecall. */
  completeSbi(error: bigint, value: bigint): void {
    this.core.completeSbi(BigInt.asUintN(64, error), BigInt.asUintN(64, value));
  }

  /** x register (0..31), as an unsigned 64-bit value. */
  reg(i: number): bigint {
    return this.dv.getBigUint64(this.base + H_X + i * 8, true);
  }
  setReg(i: number, v: bigint): void {
    if (i !== 0) this.dv.setBigUint64(this.base + H_X + i * 8, BigInt.asUintN(64, v), true);
  }
  /** f register raw bits. */
  freg(i: number): bigint {
    return this.dv.getBigUint64(this.base + H_F + i * 8, true);
  }
  get pc(): bigint {
    return this.dv.getBigUint64(this.base + H_PC, true);
  }
  set pc(v: bigint) {
    this.dv.setBigUint64(this.base + H_PC, BigInt.asUintN(64, v), true);
  }
  get instret(): bigint {
    return this.dv.getBigUint64(this.base + H_INSTRET, true);
  }
  /** 0 = U, 1 = S, 3 = M. */
  get priv(): number {
    return this.dv.getUint32(this.base + H_PRIV, true);
  }
  /** Read a CSR without privilege checks (0 for unknown CSRs). */
  csr(num: number): bigint {
    return BigInt.asUintN(64, this.core.csrPeek(num));
  }
  setCsr(num: number, v: bigint): void {
    this.core.csrPoke(num, BigInt.asUintN(64, v));
  }

  // ---- host-driven control words (also usable from other threads via layout offsets) ----
  private i32(): Int32Array {
    return new Int32Array(this.memory.buffer);
  }
  /** Raise mip bits driven by the host (MSIP=1<<3, MTIP=1<<7, SEIP=1<<9, MEIP=1<<11). */
  raiseIrq(bits: number): void {
    Atomics.or(this.i32(), (this.base + H_HOST_IRQ) >> 2, bits);
  }
  lowerIrq(bits: number): void {
    Atomics.and(this.i32(), (this.base + H_HOST_IRQ) >> 2, ~bits);
  }
  /** Make a running run() return `yield` within one slice. */
  kick(): void {
    Atomics.store(this.i32(), (this.base + H_KICK) >> 2, 1);
  }
  /** Make run() return `halt` (now and on every later call until cleared). */
  requestStop(stop = true): void {
    Atomics.store(this.i32(), (this.base + H_STOP) >> 2, stop ? 1 : 0);
  }
  get mtimecmp(): bigint {
    return BigInt.asUintN(64, Atomics.load(new BigInt64Array(this.memory.buffer), (this.base + H_MTIMECMP) >> 3));
  }
  /** The CLINT model's mtimecmp for this hart; the engine raises MTIP when mtime >= it. */
  set mtimecmp(v: bigint) {
    Atomics.store(new BigInt64Array(this.memory.buffer), (this.base + H_MTIMECMP) >> 3, BigInt.asIntN(64, v));
  }
  /** When Sstc raises STIP (mtime ticks): stimecmp while menvcfg.STCE = 1,
   *  else all ones. A host sleeping for a `wfi` exit wakes by
   *  min(mtimecmp, this) as well as on its interrupt pins. */
  get stimerDeadline(): bigint {
    return BigInt.asUintN(64, Atomics.load(new BigInt64Array(this.memory.buffer), (this.base + H_STIMER_DEADLINE) >> 3));
  }
  /** For stats/tests: the hart id recorded in the state region. */
  get stateHartId(): number {
    return this.dv.getUint32(this.base + H_HART_ID, true);
  }
}

export { ACC_READ, ACC_WRITE };
