import { describe, expect, it } from 'vitest';
import { QuantumEnd, QuantumGate } from './quantum-gate.js';

/** The worker's side, played on this thread a moment after the grant (waitGrant does not block when a grant is there). */
function hartAnswers(gate: QuantumGate, hart: number, seen: number, answer: (g: { gen: number; budget: number }) => void): void {
  setTimeout(() => {
    const g = gate.waitGrant(hart, seen, 0);
    if (g) answer(g);
  }, 5);
}

describe('QuantumGate', () => {
  it('grants a budget and returns how the quantum ended, with the page a fault stopped on', async () => {
    const gate = QuantumGate.create(4);
    let budget = 0;
    hartAnswers(gate, 2, 0, (g) => { budget = g.budget; gate.finish(2, g.gen, QuantumEnd.Spent, 0); });
    expect(await gate.run(2, 5000)).toBe(QuantumEnd.Spent);
    expect(budget).toBe(5000);

    hartAnswers(gate, 2, gate.finished(2), (g) => {
      gate.recordFault(2, 0x1_8000_3000, 1);
      gate.finish(2, g.gen, QuantumEnd.Fault, 1234);
    });
    expect(await gate.run(2, 5000)).toBe(QuantumEnd.Fault);
    expect(gate.left(2)).toBe(1234);
    expect(gate.fault(2)).toEqual({ gpa: 0x1_8000_3000, access: 1 });
  });

  it('a hart that leaves ends the outstanding grant as halted; other harts are untouched', async () => {
    const gate = QuantumGate.create(2);
    setTimeout(() => gate.abandon(1), 5);
    expect(await gate.run(1, 100)).toBe(QuantumEnd.Halted);
    expect(gate.finished(0)).toBe(0);
  });

  it('waitGrant times out without a new grant', () => {
    const gate = QuantumGate.create(1);
    expect(gate.waitGrant(0, 0, 1)).toBeUndefined();
  });
});
