// Machine → NodeAgent → vCPU workers → devices, driven by a scripted engine
// (fixtures/scripted-engine.mjs), so the host side is tested on its own.
import { describe, expect, it } from 'vitest';
import { Machine, type ConsolePort } from '@unum/coordinator';
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
    const m = await Machine.create({
      elf: readFileSync(join(GUESTS, 'hello.elf')), vcpus: 3, memBytes: 16 << 20, bootargs: '', console, engineModule,
    });
    const t0 = performance.now();
    const result = await m.run();
    expect(console.text()).toBe('hart 0 a1=true\n');
    expect(result.outcome).toEqual({ kind: 'pass' });
    expect(result.exitCode).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2); // slept in WFI until mtimecmp
    expect(m.agent.hartStatus().map((h) => h.state)).toEqual(['halted', 'halted', 'halted']);
    expect(m.bus.unmapped).toBe(1); // the scripted no-device read
    expect([...m.agent.pool.read(m.fdtAddr, 4)]).toEqual([0xd0, 0x0d, 0xfe, 0xed]);
    // ELF pages, the FDT page and the faulted page hold frames; the rest stayed LAZY
    expect(m.agent.pool.used).toBeGreaterThanOrEqual(3);
    expect(m.agent.pool.used).toBeLessThan(16);
  });
});
