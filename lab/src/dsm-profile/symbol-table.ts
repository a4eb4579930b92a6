/**
 * Guest symbols for the DSM profile: a Linux `System.map` (`addr type name`
 * per line) or an ELF's `.symtab` (a `vmlinux`, a bare-metal ELF), sorted by
 * address. A symbol reaches up to the next symbol's address (System.map has
 * no sizes); absolute symbols (type A) are left out, they own no bytes.
 *
 * @example
 *   const syms = SymbolTable.fromSystemMap(readFileSync('System.map', 'utf8'));
 *   syms.at(0xffffffff80002010n);   // { name: '_stext', type: 'T', addr, end }
 */
export interface GuestSymbol {
  name: string;
  /** System.map's type letter: T/t text, D/d data, B/b bss, R/r rodata, W/V weak. */
  type: string;
  addr: bigint;
  /** The next symbol's address (exclusive). */
  end: bigint;
}

/** Linker-made section bounds (`__bss_start`, `_edata`, `__init_end`): they name a place, not a variable. */
const marker = (name: string): boolean => /^_+(s|e)?[a-z]*(data|text|bss|rodata)$|^_+.*_(start|end|begin|stop|load)$|^_+(start|end)_/.test(name);

export class SymbolTable {
  private constructor(
    private readonly syms: readonly GuestSymbol[],
    /** Every name, aliases and section markers included (addressOf). */
    private readonly names: ReadonlyMap<string, bigint>,
  ) {}

  /** Symbols with their start addresses; ends are filled in from the next address. */
  static of(raw: ReadonlyArray<{ name: string; type: string; addr: bigint }>): SymbolTable {
    const byAddr = new Map<bigint, { name: string; type: string; addr: bigint }>();
    for (const s of raw) {
      if (s.type.toUpperCase() === 'A' || s.addr === 0n) continue;
      const had = byAddr.get(s.addr); // aliases (_text = _stext): keep one, preferring a name that is not a section marker
      if (!had || (marker(had.name) && !marker(s.name))) byAddr.set(s.addr, s);
    }
    const sorted = [...byAddr.values()].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
    const names = new Map(raw.filter((s) => s.type.toUpperCase() !== 'A').map((s) => [s.name, s.addr]));
    return new SymbolTable(sorted.map((s, i) => ({ ...s, end: sorted[i + 1]?.addr ?? s.addr + 1n })), names);
  }

  /** `System.map`; throws a RangeError naming the first line that is not `hex type name`. */
  static fromSystemMap(text: string): SymbolTable {
    const raw: Array<{ name: string; type: string; addr: bigint }> = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const m = /^([0-9a-fA-F]{1,16}) ([A-Za-z?-]) (\S+)/.exec(line);
      if (!m) throw new RangeError(`line ${i + 1} is not 'address type name': ${line.slice(0, 60)}`);
      raw.push({ addr: BigInt(`0x${m[1]}`), type: m[2]!, name: m[3]! });
    });
    if (raw.length === 0) throw new RangeError('no symbols');
    return SymbolTable.of(raw);
  }

  get size(): number {
    return this.syms.length;
  }

  /** The named symbol's address (undefined if absent). */
  addressOf(name: string): bigint | undefined {
    return this.names.get(name);
  }

  /** The symbol covering `addr` (the last one starting at or below it, if addr is before its end). */
  at(addr: bigint): GuestSymbol | undefined {
    const i = this.lastAtOrBelow(addr);
    const s = i < 0 ? undefined : this.syms[i];
    return s && addr < s.end ? s : undefined;
  }

  /** Symbols overlapping [start, end), with the bytes of each inside it, most bytes first. */
  overlapping(start: bigint, end: bigint): Array<{ sym: GuestSymbol; bytes: number }> {
    const out: Array<{ sym: GuestSymbol; bytes: number }> = [];
    for (let i = Math.max(0, this.lastAtOrBelow(start)); i < this.syms.length && this.syms[i]!.addr < end; i++) {
      const s = this.syms[i]!;
      const lo = s.addr > start ? s.addr : start;
      const hi = s.end < end ? s.end : end;
      if (hi > lo) out.push({ sym: s, bytes: Number(hi - lo) });
    }
    return out.sort((a, b) => b.bytes - a.bytes);
  }

  private lastAtOrBelow(addr: bigint): number {
    let lo = 0, hi = this.syms.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.syms[mid]!.addr <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  }
}
