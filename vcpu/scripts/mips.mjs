// Quick MIPS check of the interpreter on test-guests/loop.elf (not a benchmark:
// bench/ compares against QEMU). Usage: node vcpu/scripts/mips.mjs [elf]
import { TestMachine } from '../dist/test-support/machine.js';
const elf = process.argv[2] ?? new URL('../test-guests/loop.elf', import.meta.url);
for (let i = 0; i < 3; i++) {
  const m = new TestMachine();
  m.loadElf(elf);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = m.run(1_000_000, 50_000_000);
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(c0);
  const cpuUs = cpu.user + cpu.system;
  // CPU time is the steadier figure on a shared, noisy machine
  console.log(`code=${r.code} instret=${r.instret} wall ${(Number(r.instret) / ns * 1000).toFixed(0)} MIPS, cpu ${(Number(r.instret) / cpuUs).toFixed(0)} MIPS`);
}
