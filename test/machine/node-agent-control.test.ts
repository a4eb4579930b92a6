// NodeAgent control surface with a spinning stand-in engine: pause parks
// every hart, resume restarts them, interrupt pins reach the right hart,
// stop halts all workers.
import { describe, expect, it } from 'vitest';
import type { MmioBus } from '@unum/machine';
import { NodeAgent } from '@unum/node-agent';

const engineModule = new URL('./fixtures/spin-engine.mjs', import.meta.url);

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond(), what).toBe(true);
}

describe('NodeAgent control', () => {
  it('pauses, resumes, routes MEIP to one hart, and stops', async () => {
    const writes: number[] = [];
    const bus: MmioBus = { read: async () => 0n, write: async (_gpa, _size, v) => { writes.push(Number(v)); } };
    const agent = await NodeAgent.create({ harts: 2, ramBytes: 1 << 20, mmio: bus, engineModule });
    const halted = agent.start({ pc: 0x8000_0000, a1: 0 });
    await until(() => agent.hartStatus().every((h) => h.state === 'running'), 'harts running');

    await agent.pause();
    expect(agent.hartStatus().map((h) => h.state)).toEqual(['paused', 'paused']);
    agent.setExternalIrq(1, 'M', true);
    await new Promise((r) => setTimeout(r, 30));
    expect(writes).toEqual([]); // paused harts do not run

    agent.resume();
    await until(() => writes.length === 1, 'hart 1 saw MEIP');
    expect(writes).toEqual(['1'.charCodeAt(0)]);

    await agent.stop();
    await halted;
    expect(agent.hartStatus().map((h) => h.state)).toEqual(['halted', 'halted']);
  });
});
