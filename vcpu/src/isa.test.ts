import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestMachine } from './test-support/machine.js';
import { parseElf } from './test-support/elf.js';

const GUESTS = fileURLToPath(new URL('../test-guests/', import.meta.url));
const guest = (name: string) => join(GUESTS, `${name}.elf`);

function hasToolchain(): boolean {
  try { execFileSync('riscv64-unknown-elf-gcc', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** Run a self-checking guest; code 0 = pass, n = failed check n. */
export function runGuest(name: string, opts: { sbi?: boolean } = {}) {
  const m = new TestMachine(opts);
  m.loadElf(guest(name));
  return m.run(20_000);
}

describe('ISA guests', () => {
  it.skipIf(!hasToolchain())('committed ELFs match their sources', () => {
    const out = mkdtempSync(join(tmpdir(), 'unum-guests-'));
    execFileSync('sh', [join(GUESTS, 'build.sh'), out]);
    for (const f of readdirSync(GUESTS).filter((f) => f.endsWith('.elf'))) {
      // compare what gets loaded (the symbol table names temp files)
      const a = parseElf(new Uint8Array(readFileSync(join(out, f))));
      const b = parseElf(new Uint8Array(readFileSync(join(GUESTS, f))));
      expect(a.entry, f).toBe(b.entry);
      expect(a.segments, f).toEqual(b.segments);
    }
  });

  it('traps: illegal/ecall/ebreak causes and mtval, CSRs, S/U modes, medeleg, mret, misaligned AMO', () => {
    expect(runGuest('traps').code).toBe(0);
  });

  it('rv64i: integer, M, loads/stores incl. misaligned and page-crossing, branches, jumps', () => {
    expect(runGuest('rv64i').code).toBe(0);
  });
});
