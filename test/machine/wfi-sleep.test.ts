// A hart in WFI wakes at its Sstc timer deadline although mtimecmp is 0
// (Linux on the built-in SBI never writes it): the vCPU worker's sleep once
// took the earlier of the two deadlines, found it past and slept until an
// IPI or MAX_WAIT_MS (100 ms), so every kernel timer on an idle hart fired late.
import { describe, expect, it } from 'vitest';
import { NodeAgent } from '@unum/node-agent';

const engineModule = new URL('./fixtures/sstc-wfi-engine.mjs', import.meta.url);

describe('WFI sleep', () => {
  it('ends at the Sstc deadline while mtimecmp is 0', async () => {
    const reported: bigint[] = [];
    const agent = await NodeAgent.create({
      harts: 1, ramBytes: 1 << 20, engineModule,
      mmio: { read: async () => 0n, write: async (_gpa, _size, v) => { reported.push(v); } },
    });
    await agent.start({ pc: 0x8000_0000, a1: 0 });
    expect(reported).toHaveLength(1);
    const ms = Number(reported[0]);
    expect(ms).toBeGreaterThanOrEqual(15); // ten sleeps of ~2 ms: it does sleep until each deadline
    expect(ms).toBeLessThan(500); // not ten sleeps of 100 ms
    await agent.stop();
  });
});
