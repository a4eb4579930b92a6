/**
 * Where a guest-physical page lives for the profile: which boot piece
 * (kernel image, initrd, device tree, firmware) holds it, and at which
 * address the symbol table names it. A Linux kernel's symbols sit at its
 * link address (RISC-V 64: KERNEL_LINK_ADDR 0xffffffff80000000), so a page of
 * the image at physical P has the symbol address P − load + link; the kernel
 * reaches the same page through its linear map too, which changes nothing
 * for who owns it. Any other page of a kernel's RAM (slab, page tables,
 * per-CPU chunks, page cache, user memory) is dynamic: no symbol owns it.
 * Bare-metal symbols are physical addresses (identity).
 */
import type { SymbolTable } from './symbol-table.js';

export const KERNEL_LINK_ADDR = 0xffff_ffff_8000_0000n;

/** One piece of the boot image in guest RAM (the CLI passes its BootLayout's pieces). */
export interface GuestRegion {
  what: string;
  gpa: number;
  size: number;
}

/** A kernel image's sections, by the linker's markers (System.map / vmlinux). */
const SECTIONS: ReadonlyArray<{ name: string; from: string[]; to: string[] }> = [
  { name: 'text', from: ['_stext', '_text'], to: ['_etext'] },
  { name: 'init', from: ['__init_begin'], to: ['__init_end'] },
  { name: 'rodata', from: ['__start_rodata'], to: ['__end_rodata'] },
  { name: 'data', from: ['_sdata', '_data'], to: ['_edata'] },
  { name: 'bss', from: ['__bss_start'], to: ['__bss_stop', '_end'] },
];

export class GuestMap {
  private readonly kernel: GuestRegion | undefined;
  private readonly sections: Array<{ name: string; lo: bigint; hi: bigint }>;

  constructor(private readonly regions: readonly GuestRegion[], private readonly symbols: SymbolTable | undefined) {
    this.kernel = regions.find((r) => r.what === 'kernel');
    const first = (names: string[]) => names.map((n) => symbols?.addressOf(n)).find((a) => a !== undefined);
    this.sections = SECTIONS.flatMap((s) => {
      const lo = first(s.from), hi = first(s.to);
      return lo !== undefined && hi !== undefined && hi > lo ? [{ name: s.name, lo, hi }] : [];
    });
  }

  /** True when the symbols are a kernel linked at KERNEL_LINK_ADDR (else bare metal: identity). */
  get linux(): boolean {
    return (this.symbols?.addressOf('_start') ?? 0n) >= KERNEL_LINK_ADDR || (this.symbols?.addressOf('_stext') ?? 0n) >= KERNEL_LINK_ADDR;
  }

  /** The address the symbol table uses for guest-physical `gpa` (undefined: no symbol can own it). */
  symbolAddress(gpa: number): bigint | undefined {
    if (!this.linux) return BigInt(gpa);
    const k = this.kernel;
    if (!k || gpa < k.gpa || gpa >= k.gpa + k.size) return undefined;
    return BigInt(gpa - k.gpa) + KERNEL_LINK_ADDR;
  }

  /** 'kernel text', 'kernel bss', 'initrd', 'device tree', 'dynamic', ...: where the page at `gpa` sits. */
  regionOf(gpa: number): string {
    const r = this.regions.find((p) => gpa >= p.gpa && gpa < p.gpa + p.size);
    if (!r) return 'dynamic';
    if (r !== this.kernel || !this.symbols) return r.what;
    const a = this.symbolAddress(gpa);
    const s = a === undefined ? undefined : this.sections.find((x) => a >= x.lo && a < x.hi);
    return s ? `kernel ${s.name}` : 'kernel';
  }
}
