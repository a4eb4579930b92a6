// The guest SDK's behaviour seen from outside: boot on several harts, the
// device tree (NUMA), UART input, trap reports and argument errors.
import { describe, expect, it } from 'vitest';
import { qemuUnavailableReason, runQemu } from '../support/qemu.js';
import { guestElf } from './guest-paths.js';

const skip = qemuUnavailableReason();
if (skip) console.warn(`skipping guest SDK tests: ${skip}`);

/** Two NUMA nodes of 64 MiB each (QEMU then also makes one CLINT per node). */
const numa2 = (cpus0: string, cpus1: string): string[] => [
  '-object', 'memory-backend-ram,id=m0,size=64M', '-object', 'memory-backend-ram,id=m1,size=64M',
  '-numa', `node,nodeid=0,cpus=${cpus0},memdev=m0`, '-numa', `node,nodeid=1,cpus=${cpus1},memdev=m1`,
];

describe.skipIf(skip !== undefined)('guest SDK under QEMU', () => {
  it('hello prints one line per hart and exits 0', async () => {
    const r = await runQemu(guestElf('hello'), { smp: 4, memory: '128M', timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('hello: 4 harts, 128 MiB RAM, timebase 10000000 Hz');
    expect(r.stdout).toContain('hello: first RAM byte on numa node 0, last on numa node 0');
    for (let h = 0; h < 4; h++) expect(r.stdout).toContain(`hello from hart ${h} (thread ${h} of 4, numa node 0)`);
  });

  it('reads numa-node-id of harts and memory from the device tree', async () => {
    const r = await runQemu(guestElf('hello'), { smp: 4, memory: '128M', extraArgs: numa2('0-1', '2-3'), timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('hello: first RAM byte on numa node 0, last on numa node 1');
    expect(r.stdout).toContain('hello from hart 1 (thread 1 of 4, numa node 0)');
    expect(r.stdout).toContain('hello from hart 2 (thread 2 of 4, numa node 1)');
    expect(r.stdout).toContain('hello from hart 3 (thread 3 of 4, numa node 1)');
  });

  it('uses RAM of both NUMA nodes (heap spans the memory nodes)', async () => {
    const r = await runQemu(guestElf('memscan'), { smp: 2, memory: '128M', extraArgs: numa2('0', '1'), append: 'size=96M iters=1', timeoutMs: 30_000 });
    expect(r.stdout).toMatch(/verify=ok/);
    expect(r.exitCode).toBe(0);
  });

  it('echo answers each UART line and quits on "quit"', async () => {
    const r = await runQemu(guestElf('echo'), { input: 'hello world\r\nsecond\nquit\n', timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['echo: ready', 'echo: hello world', 'echo: second', 'echo: bye']);
  });

  it.each([
    ['illegal', 'cause=0x2 (illegal instruction)'],
    ['load', 'cause=0x5 (load access fault)'],
    ['ecall', 'cause=0xb (ecall from M-mode)'],
  ])('a %s trap on hart 1 is reported with cause, mepc and mtval, exit 3', async (kind, cause) => {
    const r = await runQemu(guestElf('fault'), { smp: 2, append: `kind=${kind} hart=1`, timeoutMs: 20_000 });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`TRAP hart=1 ${cause.replace(/[()]/g, '\\$&')} mepc=0x8[0-9a-f]+ mtval=0x[0-9a-f]+`));
  });

  it.each([
    ['bogus=1', "error: unknown argument 'bogus' (this program takes: size iters scope threads)"],
    ['size=12Q', 'error: argument size=12Q: expected a number like 4096, 0x1000, 64K, 64M or 1G'],
    ['size', "error: malformed argument 'size' (expected key=value)"],
    ['size=1M size=2M', "error: argument 'size' given twice"],
    ['threads=3', 'error: argument threads=3: must be 1..2 (harts in the device tree)'],
    ['size=99999999999999999999', 'error: argument size=99999999999999999999: number too large'],
  ])('bad argument %s → one clear line, exit 2', async (append, message) => {
    const r = await runQemu(guestElf('memscan'), { smp: 2, append, timeoutMs: 20_000 });
    expect(r.exitCode).toBe(2);
    expect(r.stdout.trim()).toBe(message);
  });

  it('asking for more memory than the machine has fails clearly, exit 4', async () => {
    const r = await runQemu(guestElf('memscan'), { smp: 1, memory: '64M', append: 'size=256M', timeoutMs: 20_000 });
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toMatch(/^error: out of memory: wanted 268435456 bytes/);
  });
});
