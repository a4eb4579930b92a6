import { numaNodeOf } from '@unum/dsm';
import { describe, expect, it } from 'vitest';
import { MachineError } from '../machine-error.js';
import { hartPlacementOf, vmSpecOf, type VmSpecInput } from '../spec/vm-spec.js';
import { numaLayout, placeHarts, planVm } from './vm-plan.js';

const offers = (n: number, cores = 1, mem = 64 << 20) => Array.from({ length: n }, () => ({ memBytes: mem, cores, swapBytes: 0 }));
const req = (over: Partial<VmSpecInput> = {}): VmSpecInput => ({
  vcpus: 4, memBytes: 64 << 20, placement: 'rr', protocol: 'ivy-dynamic', unitBytes: 4096, pagePlacement: 'node0', ...over,
});
/** A placement as typed, placed on `nodes`. */
const place = (text: string, vcpus: number, nodes: ReturnType<typeof offers>) => placeHarts(hartPlacementOf(text, vcpus), vcpus, nodes);

describe('vCPU placement', () => {
  it('rr, packed (by offered cores, overflow round-robin) and explicit lists', () => {
    expect(place('rr', 5, offers(2))).toEqual([0, 1, 0, 1, 0]);
    expect(place('packed', 4, [{ memBytes: 0, cores: 3, swapBytes: 0 }, { memBytes: 0, cores: 1, swapBytes: 0 }])).toEqual([0, 0, 0, 1]);
    expect(place('packed', 5, offers(2, 2))).toEqual([0, 0, 1, 1, 0]);
    expect(place('2,0,1,1', 4, offers(3))).toEqual([2, 0, 1, 1]);
  });

  it('bad specs are one-line MachineErrors', () => {
    expect(() => place('0,3', 2, offers(2))).toThrow(/node 3 does not exist/);
    expect(() => place('0,1', 3, offers(2))).toThrow(/2 entries for 3 vcpus/);
    expect(() => place('0,,1', 3, offers(2))).toThrow(MachineError);
  });
});

describe('VM plan checks', () => {
  it('refuses zero vCPUs, unknown variants and units, and memory beyond the offers', () => {
    expect(() => vmSpecOf(req({ vcpus: 0 }))).toThrow(/--vcpus must be/);
    expect(() => vmSpecOf(req({ protocol: 'nope' }))).toThrow(/unknown DSM protocol 'nope'/);
    expect(() => vmSpecOf(req({ unitBytes: 12288 }))).toThrow(/power of two/);
    expect(() => vmSpecOf(req({ pagePlacement: 'random' }))).toThrow(/unknown page placement/);
    expect(() => planVm(vmSpecOf(req({ memBytes: 256 << 20 })), offers(2))).toThrow(/more than the 2 node\(s\) offer \(128 MiB of memory and swap\)/);
  });

  it('initial owners follow the page placement', () => {
    const n0 = planVm(vmSpecOf(req()), offers(3));
    expect([0, 1, 2, 3].map((u) => n0.initialOwner(u))).toEqual([0, 0, 0, 0]);
    const il = planVm(vmSpecOf(req({ pagePlacement: 'interleaved' })), offers(3));
    expect([0, 1, 2, 3].map((u) => il.initialOwner(u))).toEqual([0, 1, 2, 0]);
    const ft = planVm(vmSpecOf(req({ pagePlacement: 'first-touch', protocol: 'ivy-fixed' })), offers(3));
    expect([0, 1, 2, 3].map((u) => ft.initialOwner(u))).toEqual([0, 1, 2, 0]); // ivy-fixed's home = unit mod N
  });

  it('numa: every unit starts on the node whose range of the FDT\'s NUMA map holds it, in the plan and in the DSM', () => {
    for (const [nodes, memBytes, unitBytes] of [[2, 64 << 20, 4096], [3, 100 << 20, 65536], [4, 36 << 20, 16384]] as const) {
      const plan = planVm(vmSpecOf(req({ pagePlacement: 'numa', memBytes, unitBytes })), offers(nodes, 1, memBytes));
      const units = memBytes / unitBytes;
      for (let u = 0; u < units; u++) {
        const gpa = 0x8000_0000 + u * unitBytes;
        const range = plan.numa.memory.find((m) => gpa >= m.base && gpa < m.base + m.size)!;
        expect(plan.initialOwner(u)).toBe(range.node);
        expect(numaNodeOf(u, units, nodes)).toBe(range.node); // what each DsmNode computes on its own
      }
    }
  });
});

describe('NUMA layout', () => {
  it('splits RAM into one unit-aligned range per node that together cover it', () => {
    const l = numaLayout(3, [0, 1, 2], 100 << 20, 65536);
    expect(l.memory.map((m) => m.node)).toEqual([0, 1, 2]);
    expect(l.memory[0]!.base).toBe(0x8000_0000);
    for (const m of l.memory) expect(m.size % 65536).toBe(0);
    for (let i = 1; i < 3; i++) expect(l.memory[i]!.base).toBe(l.memory[i - 1]!.base + l.memory[i - 1]!.size);
    expect(l.memory.reduce((a, m) => a + m.size, 0)).toBe(100 << 20);
  });
});
