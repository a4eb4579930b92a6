import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { TestMachine } from './test-support/machine.js';
import { getEntry, setEntry, decodeEntry, encodeEntry } from './memory.js';
import { loadCoreModuleSync } from './core.js';
import { Vcpu } from './vcpu.js';
import type { VcpuExit } from './exit.js';

const guest = (n: string) => fileURLToPath(new URL(`../test-guests/${n}.elf`, import.meta.url));
const DEV = 0x3000_0000;

describe('exits', () => {
  it('mmio, page (lazy and read-only, retried exactly once), sbi and wfi', () => {
    const m = new TestMachine({ sbi: true });
    const elf = m.loadElf(guest('exits'));
    const lazy = Number(elf.symbols.get('lazy'));
    const ro = Number(elf.symbols.get('ro_page'));
    const lazyFull = getEntry(m.memory, lazy);
    const roFull = getEntry(m.memory, ro);
    setEntry(m.memory, lazy, encodeEntry({ read: false, write: false, lazy: true, frame: -1 }));
    setEntry(m.memory, ro, encodeEntry({ ...decodeEntry(roFull), write: false }));
    const writes: Array<[number, number, bigint]> = [];
    const seen: VcpuExit[] = [];
    m.onMmio = (_v, e) => {
      if (e.gpa < DEV || e.gpa >= DEV + 0x1000) return undefined;
      if (e.write) { writes.push([e.gpa, e.size, e.value]); return 0n; }
      return 0xfedcba9876543280n;
    };
    m.onExit = (v, e) => {
      seen.push(e);
      if (e.kind === 'page') {
        const gpa = e.gpa - (e.gpa % 4096);
        if (gpa === lazy) setEntry(m.memory, lazy, lazyFull);
        else if (gpa === ro && e.access === 'write') setEntry(m.memory, ro, roFull);
        else throw new Error(`unexpected page exit ${e.gpa.toString(16)} ${e.access}`);
        return true;
      }
      if (e.kind === 'sbi') {
        expect([e.ext, e.fid, e.args[0]]).toEqual([0x10, 3, 77n]);
        v.completeSbi(0n, 42n);
        return true;
      }
      return e.kind === 'wfi';
    };
    const r = m.run(1000);
    expect(r.code).toBe(0);
    expect(writes).toEqual([[DEV + 8, 8, 0x1122334455667788n], [DEV + 16, 2, 0x7788n]]);
    const pages = seen.filter((e) => e.kind === 'page');
    expect(pages).toEqual([
      { kind: 'page', gpa: lazy, access: 'write' },
      { kind: 'page', gpa: ro, access: 'write' },
    ]);
    expect(r.exits.wfi).toBe(1);
    expect(seen.filter((e) => e.kind === 'sbi')).toHaveLength(1);
  });

  it('kick makes run() yield, stop makes it halt', () => {
    const m = new TestMachine();
    m.loadElf(guest('alu'));
    const v = m.harts[0];
    v.kick();
    expect(v.run(1000)).toEqual({ kind: 'yield' });
    const before = v.instret;
    expect(v.run(5000)).toEqual({ kind: 'yield' });
    expect(v.instret - before).toBe(5000n); // budget is exact
    v.requestStop();
    expect(v.run(1000).kind).toBe('halt');
    v.requestStop(false);
    expect(v.run(10).kind).toBe('yield');
  });

  it('rejects a bad hart id with a RangeError', () => {
    const m = new TestMachine();
    expect(() => new Vcpu(loadCoreModuleSync(), m.memory, 64)).toThrow(RangeError);
  });
});
