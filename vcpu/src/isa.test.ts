import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestMachine } from './test-support/machine.js';
import { RAM_BASE, parseElf } from '@unum/machine';

const GUESTS = fileURLToPath(new URL('../test-guests/', import.meta.url));
const guest = (name: string) => join(GUESTS, `${name}.elf`);
const TEST_RAM = { base: RAM_BASE, size: 1 << 22 };

function has(tool: string): boolean {
  try { execFileSync(tool, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}
const hasToolchain = () => has('riscv64-unknown-elf-gcc');

/** Guests whose expectations hold on QEMU too (exits needs our host). */
const QEMU_CHECKED = ['rv64i', 'traps', 'vm', 'amo', 'rvc', 'fp', 'irq', 'timing'];

/** Run a self-checking guest; code 0 = pass, n = failed check n. */
export function runGuest(name: string, opts: { sbi?: boolean } = {}) {
  const m = new TestMachine(opts);
  m.loadElf(guest(name));
  return m.run(20_000);
}

describe('ISA guests', () => {
  it.skipIf(!hasToolchain())('committed ELFs match their sources', () => {
    const out = mkdtempSync(join(tmpdir(), 'unum-guests-'));
    try {
      execFileSync('sh', [join(GUESTS, 'build.sh'), out]);
      for (const f of readdirSync(GUESTS).filter((f) => f.endsWith('.elf'))) {
        // compare what gets loaded (the symbol table names temp files)
        const a = parseElf(new Uint8Array(readFileSync(join(out, f))), TEST_RAM);
        const b = parseElf(new Uint8Array(readFileSync(join(GUESTS, f))), TEST_RAM);
        expect(a.entry, f).toBe(b.entry);
        expect(a.segments, f).toEqual(b.segments);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('traps: illegal/ecall/ebreak causes and mtval, CSRs, S/U modes, medeleg, mret, misaligned AMO', () => {
    expect(runGuest('traps').code).toBe(0);
  });

  it('vm: Sv39 walks, hardware A/D, permission faults, SUM/MXR, fetch page fault', () => {
    expect(runGuest('vm').code).toBe(0);
  });

  it('irq: msip and mtimecmp interrupts, WFI wake-up, MSI-before-MTI priority, delegated STIP', () => {
    expect(runGuest('irq').code).toBe(0);
  });

  it('amo: every AMO (w/d) and LR/SC success/failure rules', () => {
    expect(runGuest('amo').code).toBe(0);
  });

  it('rvc: compressed forms and a 32-bit instruction straddling a page boundary', () => {
    expect(runGuest('rvc').code).toBe(0);
  });

  it('fp: F/D loads/stores, arithmetic, NaN-boxing, fcsr/frm/fflags, rm decoding, conversions', () => {
    expect(runGuest('fp').code).toBe(0);
  });

  it('timing: an interrupt enabled by a CSR write or mret is taken before the next instruction; fence.i after a code store; no-device access faults', () => {
    expect(runGuest('timing').code).toBe(0);
  });

  it('rv64i: integer, M, loads/stores incl. misaligned and page-crossing, branches, jumps', () => {
    expect(runGuest('rv64i').code).toBe(0);
  });

  // the oracle: the same self-checking guests pass on qemu-system-riscv64
  it.skipIf(!has('qemu-system-riscv64'))('the same guests pass on QEMU (checks the checks)', () => {
    for (const name of QEMU_CHECKED) {
      execFileSync('qemu-system-riscv64', ['-M', 'virt', '-bios', 'none', '-nographic', '-kernel', guest(name)], {
        timeout: 20_000, stdio: 'ignore',
      });
    }
  });
});
