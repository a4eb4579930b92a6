// The one VM builder on one in-process node → AgentSession → VmNode →
// NodeAgent → vCPU workers → devices, driven by a scripted engine
// (fixtures/scripted-engine.mjs), so the host side is tested on its own.
import { describe, expect, it } from 'vitest';
import { LocalNode, Vm, vmSpecOf, type ConsolePort } from '@unum/coordinator';
import { pino } from 'pino';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUESTS } from './tools.js';

const engineModule = new URL('./fixtures/scripted-engine.mjs', import.meta.url);

function captureConsole(): ConsolePort & { text(): string } {
  const out: number[] = [];
  return { write: (b) => out.push(...b), onInput: () => {}, text: () => Buffer.from(out).toString() };
}

describe('machine plumbing (scripted engine)', () => {
  it('serves page faults, UART, CLINT and WFI, and ends on the finisher', async () => {
    const console = captureConsole();
    const memBytes = 16 << 20;
    const node = new LocalNode({ offer: { memBytes, cores: 3, swapBytes: 0 }, logger: pino({ level: 'silent' }), engineModule });
    const vm = await Vm.create({
      id: 'plumbing', spec: vmSpecOf({ vcpus: 3, memBytes }), nodes: [node], console, logger: pino({ level: 'silent' }),
      boot: { kernel: readFileSync(join(GUESTS, 'hello.elf')), bootargs: '' },
    });
    const agent = node.session.vmNode!.agent;
    const t0 = performance.now();
    await vm.start();
    const result = await vm.done;
    expect(console.text()).toBe('hart 0 a1=true\n');
    expect(result.outcome).toEqual({ kind: 'pass' });
    expect(result.exitCode).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2); // slept in WFI until mtimecmp
    expect(agent.hartStatus().map((h) => h.state)).toEqual(['halted', 'halted', 'halted']);
    expect(vm.devices.unmapped).toBe(1); // the scripted no-device read
    expect([...agent.pool.read(vm.fdtAddr, 4)]).toEqual([0xd0, 0x0d, 0xfe, 0xed]);
    // ELF pages, the FDT page and the faulted page hold frames; the rest stayed LAZY
    expect(agent.pool.used).toBeGreaterThanOrEqual(3);
    expect(agent.pool.used).toBeLessThan(16);
    node.dismiss();
  });
});
