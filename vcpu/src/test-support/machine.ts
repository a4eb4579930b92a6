/**
 * Test machine: one node memory, identity-mapped RAM, and the few devices a
 * bare-metal test guest needs, where the board (@unum/machine) puts them —
 * the sifive test finisher, UART THR/LSR and a CLINT (msip -> hostIrq MSIP,
 * mtimecmp -> hart state, mtime). Not the product's device models.
 */
import { readFileSync } from 'node:fs';
import {
  CLINT_BASE as CLINT, CLINT_SIZE, FINISHER_BASE as FINISHER, FINISHER_SIZE, RAM_BASE, UART_BASE as UART, UART_SIZE,
  elfSymbols, parseElf, type LoadSegment,
} from '@unum/machine';
import { Vcpu } from '../vcpu.js';
import type { VcpuExit } from '../exit.js';
import { createNodeMemory, mapAllRam, ramBytesOf, writeGpa } from '../memory.js';
import { loadCoreModuleSync } from '../core.js';

/** A loaded test guest: where to start, its segments, and its symbols (to find its variables). */
export interface ElfImage { entry: bigint; segments: LoadSegment[]; symbols: Map<string, bigint> }

/** Copy an ELF's PT_LOAD segments into guest RAM (pages must have frames), with the board's loader. */
export function loadElfInto(memory: WebAssembly.Memory, path: string | URL): ElfImage {
  const file = new Uint8Array(readFileSync(path));
  const image = parseElf(file, { base: RAM_BASE, size: ramBytesOf(memory) });
  for (const s of image.segments) {
    writeGpa(memory, s.gpa, s.data);
    if (s.memsz > s.data.length) writeGpa(memory, s.gpa + s.data.length, new Uint8Array(s.memsz - s.data.length));
  }
  return { entry: BigInt(image.entry), segments: image.segments, symbols: elfSymbols(file) };
}

export interface RunResult { code: number; uart: string; exits: Record<string, number>; instret: bigint }

const isDevice = (gpa: number): boolean =>
  (gpa >= FINISHER && gpa < FINISHER + FINISHER_SIZE) || (gpa >= UART && gpa < UART + UART_SIZE) || (gpa >= CLINT && gpa < CLINT + CLINT_SIZE);

/** Virtual mtime: advances with the test's notion of time (deterministic). */
export class TestClock {
  now = 0n;
  readonly fn = (): bigint => this.now;
}

export class TestMachine {
  readonly memory: WebAssembly.Memory;
  readonly harts: Vcpu[] = [];
  readonly clock = new TestClock();
  uart = '';
  elf?: ElfImage;
  /** Extra MMIO handler; return undefined to fall through to the built-in devices. */
  onMmio?: (vcpu: Vcpu, exit: Extract<VcpuExit, { kind: 'mmio' }>) => bigint | undefined;
  /** Handlers for other exits (default: page/sbi/halt are test failures). */
  onExit?: (vcpu: Vcpu, exit: VcpuExit) => boolean;

  constructor(opts: { ramBytes?: number; harts?: number; sbi?: boolean; map?: boolean; jit?: boolean; jitHot?: number } = {}) {
    this.memory = createNodeMemory({ ramBytes: opts.ramBytes ?? 1 << 22, harts: opts.harts ?? 1, sbi: opts.sbi });
    if (opts.map !== false) mapAllRam(this.memory);
    const module = loadCoreModuleSync();
    for (let h = 0; h < (opts.harts ?? 1); h++) this.harts.push(new Vcpu(module, this.memory, h, { mtime: this.clock.fn, jit: opts.jit, jitHot: opts.jitHot }));
  }

  loadElf(path: string | URL): ElfImage {
    const elf = loadElfInto(this.memory, path);
    this.harts.forEach((h, i) => h.reset(elf.entry, BigInt(i), 0n));
    this.elf = elf;
    return elf;
  }

  symbol(name: string): number {
    const v = this.elf?.symbols.get(name);
    if (v === undefined) throw new Error(`no symbol ${name}`);
    return Number(v);
  }

  /** Handle one MMIO exit on the built-in devices; returns a finisher code or undefined. */
  mmio(vcpu: Vcpu, e: Extract<VcpuExit, { kind: 'mmio' }>): number | undefined {
    const custom = this.onMmio?.(vcpu, e);
    if (custom !== undefined) { if (!e.write) vcpu.completeMmio(custom); return undefined; }
    let value = 0n;
    if (e.gpa === FINISHER && e.write) {
      const v = Number(e.value & 0xffffffffn);
      if ((v & 0xffff) === 0x5555) return 0;
      if ((v & 0xffff) === 0x3333) return v >>> 16 || 1;
    } else if (e.gpa === UART && e.write) {
      this.uart += String.fromCharCode(Number(e.value & 0xffn));
    } else if (e.gpa === UART + 5) {
      value = 0x60n; // THR empty
    } else if (e.gpa >= CLINT && e.gpa < CLINT + 0x4000) {
      const h = this.harts[(e.gpa - CLINT) >> 2];
      if (e.write) { if (e.value & 1n) h.raiseIrq(1 << 3); else h.lowerIrq(1 << 3); }
    } else if (e.gpa >= CLINT + 0x4000 && e.gpa < CLINT + 0xbff8) {
      const h = this.harts[(e.gpa - CLINT - 0x4000) >> 3];
      if (e.write) h.mtimecmp = e.value; else value = h.mtimecmp;
    } else if (e.gpa === CLINT + 0xbff8) {
      value = this.clock.now;
    } else if (!isDevice(e.gpa)) {
      vcpu.failMmio(); // no device there: access fault, as on QEMU virt
      return undefined;
    }
    if (!e.write) vcpu.completeMmio(value);
    return undefined;
  }

  /** Run hart 0 (round-robin over all harts) until the finisher is written or `maxSteps` run() calls. */
  run(maxSteps = 10_000, budget = 100_000): RunResult {
    const exits: Record<string, number> = {};
    for (let step = 0; step < maxSteps; step++) {
      for (const h of this.harts) {
        const e = h.run(budget);
        exits[e.kind] = (exits[e.kind] ?? 0) + 1;
        this.clock.now += 1000n;
        if (e.kind === 'mmio') {
          const code = this.mmio(h, e);
          if (code !== undefined) return { code, uart: this.uart, exits, instret: h.instret };
        } else if (e.kind === 'wfi') {
          this.clock.now += 100_000n; // idle: let time pass
        } else if (this.onExit?.(h, e)) {
          continue;
        } else if (e.kind !== 'yield') {
          throw new Error(`unexpected exit ${JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
        }
      }
    }
    throw new Error(`guest did not finish in ${maxSteps} steps; uart=${JSON.stringify(this.uart)}`);
  }
}
