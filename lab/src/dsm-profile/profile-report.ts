/**
 * The DSM profile of one run (`unum run --profile-dsm FILE`): every node's
 * DsmProfile merged, each unit named by the region and the symbols that own
 * it, each faulting pc by its function, and summed per region. Pure: the
 * CLI reads the files and writes what this returns.
 *
 * @example
 *   const report = profileReport(stats, { symbols, regions: layout.pieces });
 *   process.stderr.write(profileTables(report, 15));
 */
import type { DsmProfile } from '@unum/dsm';
import { markdownTable } from '../markdown-table.js';
import { GuestMap, type GuestRegion } from './guest-map.js';
import type { SymbolTable } from './symbol-table.js';

const RAM_BASE = 0x8000_0000;

/** What the report needs of a run's stats (a ClusterStats has it). */
export interface ProfiledRun {
  unitBytes: number;
  perNode: ReadonlyArray<{ node: number; dsmProfile?: DsmProfile }>;
}

export interface Cost {
  readFaults: number;
  writeFaults: number;
  waitMs: number;
  messages: number;
  bytes: number;
}

export interface PageRow extends Cost {
  unit: number;
  gpa: string;
  region: string;
  /** The symbols with the most bytes in the unit (up to 3), `+N` when there are more. */
  symbols: string;
  /** Faults per node, index = node. */
  byNode: number[];
  /** The functions whose pcs stopped on the unit most (up to 3, with their faults). */
  functions: string;
}

export interface PcRow {
  /** `function+0xoff`, `[user]` for U-mode pcs, or the hex pc when no symbol covers it. */
  symbol: string;
  faults: number;
  waitMs: number;
  pcs: number;
}

export interface RegionRow extends Cost {
  region: string;
  units: number;
}

export interface ProfileReport {
  unitBytes: number;
  symbols: boolean;
  totals: Cost;
  pages: PageRow[];
  functions: PcRow[];
  regions: RegionRow[];
}

export interface ProfileOptions {
  symbols?: SymbolTable;
  regions?: readonly GuestRegion[];
}

const zero = (): Cost => ({ readFaults: 0, writeFaults: 0, waitMs: 0, messages: 0, bytes: 0 });
const add = (a: Cost, b: Cost): void => {
  a.readFaults += b.readFaults; a.writeFaults += b.writeFaults; a.waitMs += b.waitMs; a.messages += b.messages; a.bytes += b.bytes;
};
const faults = (c: Cost): number => c.readFaults + c.writeFaults;
/** Heaviest first: faults, then messages (a unit only served here has no faults but traffic). */
const heavier = (a: Cost, b: Cost): number => faults(b) - faults(a) || b.messages - a.messages || b.waitMs - a.waitMs;

export function profileReport(run: ProfiledRun, o: ProfileOptions = {}): ProfileReport {
  const map = new GuestMap(o.regions ?? [], o.symbols);
  const nodes = Math.max(0, ...run.perNode.map((r) => r.node + 1));
  const units = new Map<number, Cost & { byNode: number[]; fns: Map<string, number> }>();
  const fns = new Map<string, PcRow>();
  for (const r of run.perNode) {
    for (const u of r.dsmProfile?.units ?? []) {
      let c = units.get(u.unit);
      if (!c) units.set(u.unit, (c = { ...zero(), byNode: new Array<number>(nodes).fill(0), fns: new Map() }));
      add(c, { readFaults: u.readFaults, writeFaults: u.writeFaults, waitMs: u.waitUs / 1000, messages: u.messages, bytes: u.bytes });
      c.byNode[r.node] = (c.byNode[r.node] ?? 0) + u.readFaults + u.writeFaults;
      for (const p of u.pcs ?? []) {
        const name = pcSymbol(BigInt(`0x${p.pc}`), p.priv, o.symbols, map);
        c.fns.set(name, (c.fns.get(name) ?? 0) + p.faults);
      }
    }
    for (const p of r.dsmProfile?.pcs ?? []) {
      const name = pcSymbol(BigInt(`0x${p.pc}`), p.priv, o.symbols, map);
      let f = fns.get(name);
      if (!f) fns.set(name, (f = { symbol: name, faults: 0, waitMs: 0, pcs: 0 }));
      f.faults += p.faults;
      f.waitMs += p.waitUs / 1000;
      f.pcs++;
    }
  }
  const totals = zero();
  const regions = new Map<string, RegionRow>();
  const pages: PageRow[] = [];
  for (const [unit, { fns: unitFns, ...c }] of units) {
    const gpa = RAM_BASE + unit * run.unitBytes;
    const region = map.regionOf(gpa);
    const functions = [...unitFns].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([f, n]) => `${f} ${n}`).join(', ');
    pages.push({ unit, gpa: `0x${gpa.toString(16)}`, region, symbols: ownersOf(gpa, run.unitBytes, map, o.symbols), functions, ...c });
    add(totals, c);
    let g = regions.get(region);
    if (!g) regions.set(region, (g = { region, units: 0, ...zero() }));
    add(g, c);
    g.units++;
  }
  return {
    unitBytes: run.unitBytes, symbols: o.symbols !== undefined, totals,
    pages: pages.sort(heavier), functions: [...fns.values()].sort((a, b) => b.faults - a.faults || b.waitMs - a.waitMs),
    regions: [...regions.values()].sort(heavier),
  };
}

/** Up to three owners of [gpa, gpa + unitBytes), most bytes first. */
function ownersOf(gpa: number, unitBytes: number, map: GuestMap, symbols: SymbolTable | undefined): string {
  const a = map.symbolAddress(gpa);
  if (a === undefined || !symbols) return '';
  const owners = symbols.overlapping(a, a + BigInt(unitBytes));
  const names = owners.slice(0, 3).map((x) => x.sym.name);
  return owners.length > 3 ? `${names.join(', ')} +${owners.length - 3}` : names.join(', ');
}

function pcSymbol(pc: bigint, priv: number, symbols: SymbolTable | undefined, map: GuestMap): string {
  if (priv === 0) return '[user]';
  // A kernel's first instructions run with the MMU off, at physical pcs: name them through the load address.
  const physical = pc < 2n ** 53n ? map.symbolAddress(Number(pc)) : undefined;
  const s = symbols?.at(pc) ?? (physical === undefined ? undefined : symbols?.at(physical));
  return s ? s.name : `0x${pc.toString(16)}`;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 100 ? int(n) : n.toFixed(1));
const kib = (n: number): string => int(n / 1024);

/** The printed tables: totals, regions, the top `n` units and faulting functions (markdown). */
export function profileTables(r: ProfileReport, n: number): string {
  const t = r.totals;
  const head = `DSM profile: ${int(faults(t))} faults (${int(t.readFaults)} read, ${int(t.writeFaults)} write), ${int(t.messages)} messages, ${kib(t.bytes)} KiB, ${ms(t.waitMs / 1000)} s of hart wait`;
  const cost = (c: Cost) => [int(c.readFaults), int(c.writeFaults), ms(c.waitMs), int(c.messages), kib(c.bytes)];
  const costHead = ['read faults', 'write faults', 'wait ms', 'messages', 'KiB'];
  const regions = markdownTable(['region', 'units', ...costHead], r.regions.map((g) => [g.region, int(g.units), ...cost(g)]));
  const pages = markdownTable(['unit', 'gpa', 'region', 'symbols', 'faulting functions', ...costHead, 'faults by node'],
    r.pages.slice(0, n).map((p) => [String(p.unit), p.gpa, p.region, p.symbols || '–', p.functions || '–', ...cost(p), p.byNode.join('/')]));
  const fns = markdownTable(['faulting function', 'faults', 'wait ms', 'pcs'],
    r.functions.slice(0, n).map((f) => [f.symbol, int(f.faults), ms(f.waitMs), int(f.pcs)]));
  return [head, '', regions, '', `top ${n} units`, pages, '', `top ${n} faulting functions`, fns, ''].join('\n');
}
