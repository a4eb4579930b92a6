// The built-in SBI end to end: guest/tests/sbi.c (t-sbi) on one node with
// `sbi: 'builtin'` and only hart 0 started. Hart 0 drops itself to S-mode and
// drives every extension; hart 1 comes up through HSM hart_start. The same
// ELF under the default (firmware) SBI mode traps its first S-mode ecall to
// M-mode, as before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceBus, RAM_BASE, fdtAddress, parseElf, virtBoard, virtFdtBlob, type FinishOutcome } from '@unum/machine';
import { NodeAgent, type SbiMode } from '@unum/node-agent';
import { describe, expect, it } from 'vitest';
import { REPO } from './tools.js';

const MEM = 64 << 20;
const ELF = readFileSync(join(REPO, 'guest/bin/t-sbi.elf'));

type Outcome = FinishOutcome | { kind: 'halted' } | { kind: 'timeout' };

async function runGuest(harts: number, sbi: SbiMode | undefined, bootHart?: number): Promise<{ out: string; outcome: Outcome }> {
  let out = '';
  let finish!: (o: Outcome) => void;
  const finished = new Promise<Outcome>((resolve) => { finish = resolve; });
  let agent: NodeAgent | undefined;
  const bus = new DeviceBus({
    harts,
    console: { write: (b) => { out += Buffer.from(b).toString('latin1'); }, onInput: () => {} },
    hartExternalIrq: (h, mode, level) => agent?.setExternalIrq(h, mode, level),
    finish: (o) => finish(o),
  });
  agent = await NodeAgent.create({ harts, ramBytes: MEM, mmio: bus, postedWrites: virtBoard().postedWindows(), sbi });
  const ram = { base: RAM_BASE, size: MEM };
  const image = parseElf(ELF, ram);
  for (const s of image.segments) agent.pool.write(s.gpa, s.data);
  const fdt = virtFdtBlob({ harts, ram, bootargs: '' });
  const fdtAddr = fdtAddress(ram, fdt.length);
  agent.pool.write(fdtAddr, fdt);
  const halted = agent.start({ pc: image.entry, a1: fdtAddr, bootHart });
  const timer = setTimeout(() => finish({ kind: 'timeout' }), 90_000);
  halted.then(() => finish({ kind: 'halted' }), () => finish({ kind: 'halted' }));
  const outcome = await finished;
  clearTimeout(timer);
  await agent.stop();
  return { out, outcome };
}

const EXPECTED = [
  'base: spec version 2.0: ok',
  'base: impl id: ok',
  'base: probe_extension: ok',
  'base: mvendorid: ok',
  'unknown extension: not supported: ok',
  'dbcn: console_write from S-mode',
  '!',
  'dbcn: bytes written: ok',
  'time: set_timer fires STIP at the deadline: ok',
  'ipi: to self: ok',
  'ipi: bad hart is invalid param: ok',
  'hsm: hart 1 stopped at boot: ok',
  'hsm: hart_start, hart 1 started: ok',
  'hsm: a0 = hartid, a1 = opaque, SIE off: ok',
  'hsm: start again is already available: ok',
  'hsm: bad hart id is invalid param: ok',
  'ipi: to hart 1 and back: ok',
  'rfence: remote_fence_i: ok',
  'rfence: remote_sfence_vma(_asid): ok',
  'hsm: hart_stop: ok',
  'hsm: suspend until an interrupt: ok',
  't-sbi: passed (0 wrong)',
  '',
].join('\n');

describe('built-in SBI', () => {
  it('t-sbi passes on 2 harts, hart 1 started by HSM, and SRST shutdown ends the run as a pass', async () => {
    const { out, outcome } = await runGuest(2, 'builtin', 0);
    expect(out).toBe(EXPECTED);
    expect(outcome).toEqual({ kind: 'pass' });
  }, 120_000);

  it('default (firmware) mode: an S-mode ecall traps to M-mode as before', async () => {
    const { out, outcome } = await runGuest(2, undefined);
    expect(out).toContain('cause=0x9 (ecall from S-mode)'); // the SDK's M-mode trap handler is no SBI
    expect(outcome.kind).toBe('fail');
  }, 120_000);

  it('bootHart needs the built-in SBI', async () => {
    const agent = await NodeAgent.create({ harts: 1, ramBytes: 1 << 20, mmio: { read: async () => 0n, write: async () => {} } });
    expect(() => agent.start({ pc: RAM_BASE, a1: 0, bootHart: 0 })).toThrow(/built-in SBI/);
    await agent.stop();
  });
});
