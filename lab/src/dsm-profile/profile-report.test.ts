import { describe, expect, it } from 'vitest';
import { profileReport, profileTables } from './profile-report.js';
import { SymbolTable } from './symbol-table.js';

const syms = SymbolTable.fromSystemMap(`ffffffff80000000 T _start
ffffffff80001000 T _stext
ffffffff80001000 T schedule
ffffffff80001800 T idle_loop
ffffffff80002000 T _etext
ffffffff80002000 D _sdata
ffffffff80002000 D jiffies
ffffffff80002008 D xtime
ffffffff80003000 D _edata
ffffffff80003000 B __bss_start
ffffffff80003000 B runqueues
ffffffff80005000 B __bss_stop
ffffffff80005000 B _end
`);
// The kernel loaded at the start of RAM (--bios none): unit u of 4 KiB is at 0x80000000 + u * 4096.
const regions = [{ what: 'kernel', gpa: 0x8000_0000, size: 0x5000 }, { what: 'initrd', gpa: 0x8100_0000, size: 0x10000 }];
const pc = (at: string, faults: number, priv = 1) => ({ pc: at, priv, faults, waitUs: faults * 100 });
const unit = (u: number, r: number, w: number, waitUs: number, messages: number, bytes: number, pcs = [pc('ffffffff80001010', r + w)]) =>
  ({ unit: u, readFaults: r, writeFaults: w, waitUs, messages, bytes, pcs });

describe('profileReport', () => {
  const run = {
    unitBytes: 4096,
    perNode: [
      { node: 0, dsmProfile: { units: [unit(2, 3, 1, 4000, 5, 4096), unit(3, 0, 9, 9000, 10, 8192)], pcs: [{ pc: 'ffffffff80001010', priv: 1, faults: 9, waitUs: 9000 }] } },
      { node: 1, dsmProfile: { units: [unit(3, 1, 2, 1000, 3, 0, [pc('ffffffff80001808', 2), pc('10450', 1, 0)]), unit(0x1000, 4, 0, 400, 4, 0), unit(0x2000, 1, 0, 100, 1, 0)],
        pcs: [{ pc: 'ffffffff80001808', priv: 1, faults: 4, waitUs: 500 }, { pc: '80001010', priv: 1, faults: 1, waitUs: 100 }, { pc: '10450', priv: 0, faults: 2, waitUs: 10 }] } },
    ],
  };

  it('sums nodes per unit and names each unit by its region and owning symbols', () => {
    const r = profileReport(run, { symbols: syms, regions });
    expect(r.pages.map((p) => [p.unit, p.region, p.symbols, p.readFaults + p.writeFaults, p.byNode])).toEqual([
      [3, 'kernel bss', 'runqueues', 12, [9, 3]],
      [2, 'kernel data', 'xtime, jiffies', 4, [4, 0]],
      [0x1000, 'initrd', '', 4, [0, 4]],
      [0x2000, 'dynamic', '', 1, [0, 1]],
    ]);
    expect(r.pages[0]).toMatchObject({ waitMs: 10, messages: 13, bytes: 8192, functions: 'schedule 9, idle_loop 2, [user] 1' });
    expect(r.totals).toMatchObject({ readFaults: 9, writeFaults: 12, messages: 23, bytes: 12288 });
    expect(r.regions.map((g) => [g.region, g.units])).toEqual([['kernel bss', 1], ['kernel data', 1], ['initrd', 1], ['dynamic', 1]]);
  });

  it('names faulting pcs by function, user pcs as [user]', () => {
    const r = profileReport(run, { symbols: syms, regions });
    expect(r.functions.map((f) => [f.symbol, f.faults, f.pcs])).toEqual([['schedule', 10, 2], ['idle_loop', 4, 1], ['[user]', 2, 1]]);
    const text = profileTables(r, 2);
    expect(text).toMatch(/^DSM profile: 21 faults \(9 read, 12 write\), 23 messages, 12 KiB/);
    expect(text).toContain('| 3 | 0x80003000 | kernel bss | runqueues | schedule 9, idle_loop 2, [user] 1 | 1 | 11 | 10.0 | 13 | 8 | 9/3 |');
  });

  it('without symbols keeps hex pcs and regions only', () => {
    const r = profileReport(run, { regions });
    expect(r.functions[0]!.symbol).toBe('0xffffffff80001010');
    expect(r.pages[0]!.symbols).toBe('');
    expect(r.pages[0]!.region).toBe('kernel');
  });
});
