/**
 * Trap differential test: traps.S provokes illegal instructions, ecall from
 * M/S/U, ebreak, misaligned LR/AMO, Sv39 page faults (invalid, R-only, X-only,
 * W-without-R, U page from S with and without SUM, MXR, non-canonical VA,
 * fetch from a no-X page, a misaligned load crossing into an invalid page),
 * MPRV, privileged instructions from S/U, PTE A/D updates, and U-mode traps
 * delegated to an S-mode handler; logs cause/epc/tval and the previous mode;
 * unum's log must equal QEMU's. Two spec-permitted QEMU 7.2 quirks are
 * normalised at their labels (and printed): ebreak's mtval (0 or the pc) and
 * the cause of a misaligned AMO (QEMU 4, the spec 6, which unum must give).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qemuUnavailableReason } from '../support/qemu.js';
import { DIFF_DIR, link, toolchainUnavailableReason } from './toolchain.js';
import { runBoth, unumUnavailableReason } from './unum-runner.js';

interface TrapEntry { cause: bigint; epc: bigint; tval: bigint; mpp: bigint }

function trapLog(stdout: string): { traps: TrapEntry[]; values: string[] } {
  const traps: TrapEntry[] = [];
  const values: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const t = /^trap ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})$/.exec(line);
    if (t) traps.push({ cause: BigInt(`0x${t[1]}`), epc: BigInt(`0x${t[2]}`), tval: BigInt(`0x${t[3]}`), mpp: BigInt(`0x${t[4]}`) });
    const v = /^value ([0-9a-f]{16})$/.exec(line);
    if (v) values.push(v[1]);
  }
  return { traps, values };
}

function symbol(elf: string, name: string): bigint {
  const r = spawnSync('riscv64-unknown-elf-nm', [elf], { encoding: 'utf8' });
  const m = new RegExp(`^([0-9a-f]+) \\w ${name}$`, 'm').exec(r.stdout);
  if (!m) throw new Error(`symbol ${name} not in ${elf}`);
  return BigInt(`0x${m[1]}`);
}

const MODES = ['U', 'S', '?', 'M'];
/** mpp column: M handler → MPP; S handler (delegated) → 0x10 | SPP */
const show = (e: TrapEntry): string => e.mpp >= 16n
  ? `scause=${e.cause} sepc=0x${e.epc.toString(16)} stval=0x${e.tval.toString(16)} from=${MODES[Number(e.mpp & 1n)]} (delegated)`
  : `mcause=${e.cause} mepc=0x${e.epc.toString(16)} mtval=0x${e.tval.toString(16)} from=${MODES[Number(e.mpp)]}`;

const skipReason = qemuUnavailableReason() ?? toolchainUnavailableReason() ?? unumUnavailableReason();
if (skipReason) console.warn(`skipping trap differential test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('traps vs QEMU (M, S with Sv39, U)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'unum-traps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs the same mcause, mepc, mtval and previous mode for every trap', async () => {
    const elf = path.join(dir, 'traps.elf');
    link(elf, [path.join(DIFF_DIR, 'traps.S'), path.join(DIFF_DIR, 'uart-print.S')]);
    const amoAt = symbol(elf, 'amo_misaligned_at');
    const { qemu, unum } = await runBoth(elf, { timeoutMs: 30_000 });
    expect(qemu.exitCode, qemu.stdout + qemu.stderr).toBe(0);
    expect(unum.exitCode, unum.stdout + unum.stderr).toBe(0);
    const q = trapLog(qemu.stdout), u = trapLog(unum.stdout);

    // the program really provokes what it claims (on the oracle)
    const causes = new Set(q.traps.map((t) => Number(t.cause)));
    for (const c of [2, 3, 4, 8, 9, 11, 12, 13, 15]) expect(causes, `QEMU saw no cause ${c}`).toContain(c);

    const notes: string[] = [];
    const normalise = (e: TrapEntry, side: string): TrapEntry => {
      if (e.cause === 3n && e.tval === e.epc) {
        notes.push(`${side}: ebreak mtval = pc (spec allows 0 or the pc; QEMU 7.2 writes 0)`);
        return { ...e, tval: 0n };
      }
      if (e.epc === amoAt && e.cause === 4n) {
        notes.push(`${side}: misaligned AMO reported as cause 4 (the spec says 6)`);
        return { ...e, cause: 6n };
      }
      return e;
    };
    const qn = q.traps.map((e) => normalise(e, 'qemu')), un = u.traps.map((e) => normalise(e, 'unum'));
    if (notes.length > 0) console.warn(`trap test normalised: ${notes.join('; ')}`);
    expect(u.traps.find((e) => e.epc === amoAt)?.cause, 'unum: misaligned AMO must raise cause 6').toBe(6n);
    expect(q.traps.filter((e) => e.mpp >= 16n).length, 'QEMU: delegated traps reached the S handler').toBe(5);

    const diffs: string[] = [];
    for (let i = 0; i < Math.max(qn.length, un.length); i++) {
      const a = qn[i] ? show(qn[i]) : '(none)', b = un[i] ? show(un[i]) : '(none)';
      if (a !== b) diffs.push(`trap #${i}: qemu ${a} | unum ${b}`);
    }
    q.values.forEach((v, i) => { if (v !== u.values[i]) diffs.push(`value #${i}: qemu ${v} | unum ${u.values[i] ?? '(none)'}`); });
    if (u.values.length !== q.values.length) diffs.push(`values: qemu ${q.values.length}, unum ${u.values.length}`);
    expect(diffs, `trap log differs (source: test/diff/traps.S):\n${diffs.join('\n')}`).toEqual([]);
  });
});
